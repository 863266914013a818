package dev.mo.manifest;
import org.junit.jupiter.api.Test;
class ScratchTest {
    @Test void show() {
        LoadResult r = ManifestLoader.parse("shop.yaml", Samples.SHOP);
        System.out.println("docs=" + r.documents().size());
        r.errors().forEach(e -> System.out.println("E " + e.format()));
        r.warnings().forEach(e -> System.out.println("W " + e.format()));
    }
}
