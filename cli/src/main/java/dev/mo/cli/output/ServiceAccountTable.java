package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get serviceaccounts}: SECRETS counts the listed token secrets. */
final class ServiceAccountTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return List.of("NAME", "SECRETS", "AGE");
    }

    @Override
    public List<String> row(ObjectNode account, boolean wide, Clock clock) {
        return List.of(str(account, "metadata.name"), String.valueOf(account.path("secrets").size()), age(account, clock));
    }
}
