package org.charnwood.fhir;

/** How a version came about; stored with each version as one letter. */
public enum ChangeMethod {
    CREATE('C'), UPDATE('U'), DELETE('D');

    private final char letter;

    ChangeMethod(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }

    public static ChangeMethod fromLetter(char letter) {
        for (ChangeMethod m : values()) {
            if (m.letter == letter) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown change method " + letter);
    }

    /** The FHIR http verb this change corresponds to in a history bundle. */
    public String httpVerb() {
        return switch (this) {
            case CREATE -> "POST";
            case UPDATE -> "PUT";
            case DELETE -> "DELETE";
        };
    }
}
