package dev.mo.runtime;

/**
 * An image reference split into repository and tag (or digest), so that a pull names one tag
 * (Docker pulls every tag when none is given) and a reference can be compared with the
 * {@code RepoTags} an engine lists.
 */
public record ImageRef(String repository, String tag) {
    public static ImageRef parse(String image) {
        int at = image.indexOf('@');
        if (at >= 0) return new ImageRef(image.substring(0, at), image.substring(at + 1));
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) return new ImageRef(image.substring(0, colon), image.substring(colon + 1));
        return new ImageRef(image, "latest");
    }

    public boolean isDigest() {
        return tag.contains(":");
    }

    /**
     * The name as an engine lists it among an image's tags: Docker Hub's {@code docker.io/} and
     * {@code library/} left out, {@code :latest} filled in ({@code docker.io/library/nginx} →
     * {@code nginx:latest}).
     */
    public String repoTag() {
        String repo = repository;
        if (repo.startsWith("docker.io/")) repo = repo.substring("docker.io/".length());
        if (repo.startsWith("library/") && repo.indexOf('/') == repo.lastIndexOf('/')) repo = repo.substring("library/".length());
        return repo + (isDigest() ? "@" : ":") + tag;
    }
}
