package dev.mo.manifest;

import dev.mo.manifest.Schema.FieldType;
import dev.mo.model.Kind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaTest {
    private final Schema schema = Schema.KUBERNETES;

    @Test
    void everyReferencedTypeIsDefined() {
        List<String> missing = new ArrayList<>();
        for (String type : schema.typeNames()) {
            schema.fields(type).forEach((field, fieldType) -> {
                FieldType t = fieldType;
                while (t.element() != null) t = t.element();
                if (t.shape() == FieldType.Shape.DEFINED && !schema.typeNames().contains(t.name())) {
                    missing.add(type + "." + field + " -> " + t.name());
                }
            });
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyAppliableKindHasASchemaForEachApiVersion() {
        for (Kind kind : Kind.values()) {
            if (Validator.MADE_BY_MO.contains(kind)) continue;
            for (String apiVersion : kind.apiVersions()) {
                assertTrue(schema.root(kind.kindName(), apiVersion).isPresent(), kind + " " + apiVersion);
            }
        }
    }

    @Test
    void autoscalingVersionsDiffer() {
        assertTrue(schema.fields("HorizontalPodAutoscalerSpecV1").containsKey("targetCPUUtilizationPercentage"));
        assertTrue(schema.fields("HorizontalPodAutoscalerSpecV2").containsKey("metrics"));
        assertTrue(!schema.fields("HorizontalPodAutoscalerSpecV2").containsKey("targetCPUUtilizationPercentage"));
    }

    @Test
    void parsesListsAndMaps() {
        FieldType t = FieldType.parse("[{quantity}]");
        assertEquals(FieldType.Shape.LIST, t.shape());
        assertEquals(FieldType.Shape.MAP, t.element().shape());
        assertEquals("quantity", t.element().element().name());
    }

    @Test
    void malformedSchemaFailsLoudly() {
        assertThrows(IllegalStateException.class, () -> Schema.parse("Type:\n  field\n"));
        assertThrows(IllegalStateException.class, () -> Schema.parse("Type\n  field string\n"));
    }
}
