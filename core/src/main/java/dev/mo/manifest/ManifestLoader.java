package dev.mo.manifest;
import java.io.InputStream;
import java.util.List;
public final class ManifestLoader {
    public static LoadResult load(List<String> paths, boolean recursive, InputStream stdin) { throw new UnsupportedOperationException(); }
    public static LoadResult parse(String source, String text) { throw new UnsupportedOperationException(); }
}
