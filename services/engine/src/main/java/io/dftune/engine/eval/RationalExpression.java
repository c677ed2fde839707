package io.dftune.engine.eval;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import org.apache.commons.numbers.fraction.BigFraction;

/**
 * Evaluates a normalised answer (no spaces) that is a number in exact arithmetic: integers and
 * decimals, {@code + - * /}, {@code \cdot}, {@code \times}, {@code \div}, {@code \frac{a}{b}},
 * parentheses, braces and whole-number powers. Anything else (a letter, {@code \sqrt}, {@code \pi})
 * means the answer is not a number: empty.
 */
final class RationalExpression {
    /** Longer numbers and larger powers are not answers; they would only cost time. */
    private static final int MAX_DIGITS = 200;

    private static final int MAX_EXPONENT = 64;

    private final String s;
    private int at;

    private RationalExpression(String s) {
        this.s = s;
    }

    static Optional<BigFraction> evaluate(String normalised) {
        if (normalised.isEmpty()) {
            return Optional.empty();
        }
        RationalExpression parser = new RationalExpression(normalised);
        try {
            BigFraction value = parser.sum();
            return parser.at == normalised.length() ? Optional.of(value) : Optional.empty();
        } catch (NotANumber | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static final class NotANumber extends RuntimeException {
        NotANumber() {
            super(null, null, false, false);
        }
    }

    private BigFraction sum() {
        BigFraction value = product();
        while (true) {
            if (eat("+")) {
                value = value.add(product());
            } else if (eat("-")) {
                value = value.subtract(product());
            } else {
                return value;
            }
        }
    }

    private BigFraction product() {
        BigFraction value = unary();
        while (true) {
            if (eat("*") || eat("\\cdot") || eat("\\times")) {
                value = value.multiply(unary());
            } else if (eat("/") || eat("\\div")) {
                value = value.divide(unary());
            } else {
                return value;
            }
        }
    }

    private BigFraction unary() {
        if (eat("-")) {
            return unary().negate();
        }
        if (eat("+")) {
            return unary();
        }
        return power();
    }

    private BigFraction power() {
        BigFraction base = atom();
        if (!eat("^")) {
            return base;
        }
        BigFraction exponent = atom();
        if (!exponent.getDenominator().equals(BigInteger.ONE)
                || exponent.getNumerator().abs().compareTo(BigInteger.valueOf(MAX_EXPONENT)) > 0) {
            throw new NotANumber();
        }
        return base.pow(exponent.getNumerator().intValueExact());
    }

    private BigFraction atom() {
        if (eat("(")) {
            return closedBy(")");
        }
        if (eat("{")) {
            return closedBy("}");
        }
        if (eat("\\frac{")) {
            BigFraction numerator = closedBy("}");
            expect("{");
            return numerator.divide(closedBy("}"));
        }
        return number();
    }

    private BigFraction closedBy(String close) {
        BigFraction value = sum();
        expect(close);
        return value;
    }

    private BigFraction number() {
        int start = at;
        while (at < s.length() && (Character.isDigit(s.charAt(at)) || s.charAt(at) == '.')) {
            at++;
        }
        String digits = s.substring(start, at);
        if (digits.isEmpty() || digits.equals(".") || digits.length() > MAX_DIGITS) {
            throw new NotANumber();
        }
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(digits.endsWith(".") ? digits + "0" : digits);
        } catch (NumberFormatException e) {
            throw new NotANumber();
        }
        return decimal.scale() <= 0
                ? BigFraction.of(decimal.toBigIntegerExact())
                : BigFraction.of(decimal.unscaledValue(), BigInteger.TEN.pow(decimal.scale()));
    }

    private void expect(String token) {
        if (!eat(token)) {
            throw new NotANumber();
        }
    }

    private boolean eat(String token) {
        if (s.startsWith(token, at)) {
            at += token.length();
            return true;
        }
        return false;
    }
}
