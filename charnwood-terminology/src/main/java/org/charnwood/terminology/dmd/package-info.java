/**
 * dm+d, the NHS Dictionary of medicines and devices: reading an NHSBSA XML release as a stream
 * ({@link org.charnwood.terminology.dmd.DmdImporter}), refusing one that is malformed, incomplete or inconsistent,
 * storing it in the {@code dmd} schema beside the release being served and switching to it in one step, and the
 * in-memory {@link org.charnwood.terminology.dmd.DmdProducts} that answers "is this a dm+d product?", walks the
 * VTM &gt; VMP &gt; AMP &gt; VMPP/AMPP chain and offers typeahead over product names. Every dm+d id is a SNOMED CT id
 * of the UK drug extension, so the same lookup serves codes under both systems.
 */
package org.charnwood.terminology.dmd;
