/** The JSON typeahead endpoint pages use to pick a SNOMED CT concept, on the same engine as ValueSet/$expand. */
package org.charnwood.app.terminology.web;
