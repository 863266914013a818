package dev.mo.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantityTest {

    @ParameterizedTest
    @CsvSource({
            "500m, 500",
            "2, 2000",
            "0.5, 500",
            "1.5, 1500",
            "100m, 100",
            "0.1m, 1",        // rounded up, as Kubernetes does
            "1k, 1000000",
            "+250m, 250",
            "1e-3, 1",
            ".25, 250",
    })
    void cpuInMillis(String text, long millis) {
        assertEquals(millis, Quantity.parseMillis(text));
    }

    @ParameterizedTest
    @CsvSource({
            "128Mi, 134217728",
            "1Gi, 1073741824",
            "1G, 1000000000",
            "1e3, 1000",
            "1E3, 1000",
            "100k, 100000",
            "1Ki, 1024",
            "512, 512",
            "1.5Gi, 1610612736",
            "2Ti, 2199023255552",
            "1M, 1000000",
            "1E, 1000000000000000000",
            "100m, 1",         // a tenth of a byte rounds up to one
            "0, 0",
    })
    void memoryInBytes(String text, long bytes) {
        assertEquals(bytes, Quantity.parseBytes(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "12XB", "1 Gi", "1gi", "Mi", "1.2.3", "--1", "1e", "1Mi3", "0x10", "ten"})
    void invalid(String text) {
        assertFalse(Quantity.isValid(text));
        assertThrows(IllegalArgumentException.class, () -> Quantity.parseBytes(text));
    }

    @Test
    void nullIsInvalid() {
        assertFalse(Quantity.isValid(null));
        assertThrows(IllegalArgumentException.class, () -> Quantity.parseMillis(null));
    }

    @Test
    void tooLargeIsAnIllegalArgumentNotAnArithmeticError() {
        assertTrue(Quantity.isValid("100Ei"));
        assertThrows(IllegalArgumentException.class, () -> Quantity.parseBytes("100Ei"));
    }

    @Test
    void comparesExactValues() {
        assertEquals(0, Quantity.parse("1").compareTo(Quantity.parse("1000m")));
        assertTrue(Quantity.parse("1Gi").compareTo(Quantity.parse("1G")) > 0);
    }
}
