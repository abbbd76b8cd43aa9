package org.charnwood.terminology.snomed;

import java.math.BigDecimal;

/** RF2 concrete values: {@code #12.5} is a number, {@code "text"} a string. */
final class ConcreteValues {

    private ConcreteValues() {
    }

    /** The value as an Integer, a BigDecimal or a String; null when the text is neither form. */
    static Object parse(String text) {
        if (text.length() >= 2 && text.charAt(0) == '#') {
            try {
                BigDecimal number = new BigDecimal(text.substring(1));
                if (number.scale() <= 0 && number.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
                    return number.intValueExact();
                }
                return number;
            } catch (NumberFormatException | ArithmeticException e) {
                return null;
            }
        }
        if (text.length() >= 2 && text.charAt(0) == '"' && text.charAt(text.length() - 1) == '"') {
            return text.substring(1, text.length() - 1);
        }
        return null;
    }
}
