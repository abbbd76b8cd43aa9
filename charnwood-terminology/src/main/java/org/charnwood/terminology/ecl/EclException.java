package org.charnwood.terminology.ecl;

/** Something went wrong reading or evaluating an expression constraint. */
public class EclException extends RuntimeException {

    public EclException(String message) {
        super(message);
    }
}
