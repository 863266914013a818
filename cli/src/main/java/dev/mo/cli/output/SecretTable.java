package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get secrets}. */
final class SecretTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return List.of("NAME", "TYPE", "DATA", "AGE");
    }

    @Override
    public List<String> row(ObjectNode secret, boolean wide, Clock clock) {
        return List.of(str(secret, "metadata.name"), str(secret, "type", "Opaque"),
                String.valueOf(SecretData.sizes(secret).size()), age(secret, clock));
    }
}
