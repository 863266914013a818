package dev.mo.controller;

import dev.mo.model.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class NamesTest {
    @Test
    void digitsMapOntoTheSafeAlphabetAsKubernetesDoes() {
        assertEquals("456789bcdf", Names.safeEncode("0123456789"));
        assertEquals("6475c89d5b", Names.safeEncode("2031745816"));
    }

    @Test
    void theSameTemplateGivesTheSameHashAndAnotherTemplateAnother() {
        String a = Names.templateHash(Json.parse("{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"web:1\"}]}}"));
        String b = Names.templateHash(Json.parse("{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"web:1\"}]}}"));
        String c = Names.templateHash(Json.parse("{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"web:2\"}]}}"));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}"), a);
    }

    @Test
    void podNamesAreTheOwnerNamePlusFiveSafeCharacters() {
        String name = Names.withRandomSuffix("web-6475c89d5b");
        assertTrue(name.matches("web-6475c89d5b-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
    }
}
