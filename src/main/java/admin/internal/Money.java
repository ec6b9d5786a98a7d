package admin.internal;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;

/** Prices as merchants type and read them ("12.50") and as the catalogue stores them (minor units). */
public final class Money {

    private Money() {}

    /** Minor units as a decimal amount with the currency's digits, e.g. 1250 EUR is "12.50". */
    public static String amount(long minor, String currency) {
        return BigDecimal.valueOf(minor, digits(currency)).toPlainString();
    }

    /** An amount with its currency, e.g. "12.50 EUR". */
    public static String format(long minor, String currency) {
        return amount(minor, currency) + " " + currency;
    }

    /**
     * Reads a typed price ("12.5", "12.50", "1,250.00" is refused) into minor units; empty when it is
     * not a non-negative amount with at most the currency's decimals.
     */
    public static Optional<Long> parse(String typed, String currency) {
        if (typed == null || typed.isBlank() || !typed.strip().matches("\\d{1,15}(\\.\\d{1,4})?")) {
            return Optional.empty();
        }
        BigDecimal value = new BigDecimal(typed.strip());
        int digits = digits(currency);
        if (value.scale() > digits) {
            return Optional.empty();
        }
        return Optional.of(value.movePointRight(digits).longValueExact());
    }

    /** Decimal digits of a currency (2 for unknown codes, which are refused elsewhere). */
    public static int digits(String currency) {
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return digits < 0 ? 0 : digits;
        } catch (IllegalArgumentException | NullPointerException e) {
            return 2;
        }
    }
}
