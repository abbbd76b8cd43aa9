package org.charnwood.app.repository;

/**
 * This node may have missed notices of changes relayed by other nodes: it has just started listening for them, or
 * lost the connection it listens on. Whatever it remembers of the record may be out of date and must be forgotten
 * (or checked again); listeners of {@link ResourceChangeNoticed} listen to this too.
 */
public record ResourceChangeNoticesMissed() {
}
