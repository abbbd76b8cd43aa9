package org.charnwood.app.repository;

import org.charnwood.fhir.ResourceChanged;

/**
 * A committed change, told to this node whichever node relayed it. It is for what a node keeps in its own memory
 * about the record (legitimate-relationship answers, the boards open in browsers connected to it), which every node
 * must bring up to date. Once-only work (deriving a score, raising a Task) listens to {@link ResourceChanged}
 * instead, which reaches one node only; nothing that writes may listen to this, or it would write once per node.
 *
 * <p>It may arrive more than once for the same change, and is not guaranteed to arrive at all: a node that lost
 * the broadcast is sent {@link ResourceChangeNoticesMissed} instead. Listeners run on the relay's thread or the
 * broadcast's, so they must be quick and must not throw.
 *
 * @param relayedHere whether this node's own relay delivered the change; otherwise another node did, and this one
 *                    heard of it through the broadcast
 */
public record ResourceChangeNoticed(ResourceChanged change, boolean relayedHere) {
}
