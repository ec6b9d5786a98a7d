package admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void readsWhatMerchantsType() {
        assertEquals(Optional.of(1250L), Money.parse("12.50", "EUR"));
        assertEquals(Optional.of(1250L), Money.parse(" 12.5 ", "EUR"));
        assertEquals(Optional.of(1500L), Money.parse("15", "EUR"));
        assertEquals(Optional.of(1200L), Money.parse("1200", "JPY"));
        assertEquals(Optional.of(0L), Money.parse("0", "USD"));
    }

    @Test
    void refusesWhatIsNotAPrice() {
        for (String typed : new String[] {"", " ", "12,50", "12.5x", "-1", "1e3", "12.505", "1,250.00", "abc", "12."}) {
            assertEquals(Optional.empty(), Money.parse(typed, "EUR"), typed);
        }
        assertEquals(Optional.empty(), Money.parse("12.5", "JPY"), "yen have no decimals");
        assertEquals(Optional.empty(), Money.parse(null, "EUR"));
    }

    @Test
    void showsAmountsWithTheCurrencysDigits() {
        assertEquals("12.50 EUR", Money.format(1250, "EUR"));
        assertEquals("0.05 USD", Money.format(5, "USD"));
        assertEquals("1200 JPY", Money.format(1200, "JPY"));
        assertEquals("1.250 KWD", Money.format(1250, "KWD"));
    }
}
