package dev.mo.runtime;

import java.util.List;

/**
 * One image in an engine's local store.
 *
 * @param id        the image ID, {@code sha256:} and the hash of its config: the same on every
 *                  engine that holds the same image, which makes it the check of a transfer
 * @param repoTags  the names it is known by ({@code mo-example/hello:v1}); empty for dangling images
 * @param sizeBytes its size unpacked
 */
public record ImageInfo(String id, List<String> repoTags, long sizeBytes) {
    public ImageInfo {
        repoTags = List.copyOf(repoTags);
    }
}
