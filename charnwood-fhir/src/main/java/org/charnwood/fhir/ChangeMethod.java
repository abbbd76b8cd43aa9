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
}
