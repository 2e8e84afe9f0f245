package io.kb.contracts.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProblemTypesTest {

    @Test
    void everyTypeIsAKbProblemUrnNamedLikeItsConstant() throws IllegalAccessException {
        for (Field field : constants()) {
            URI type = (URI) field.get(null);
            String slug = field.getName().toLowerCase().replace('_', '-');
            assertThat(type).as(field.getName()).hasToString("urn:kb:problem:" + slug);
        }
    }

    @Test
    void coversTheAgreedKindsOfFailure() throws IllegalAccessException {
        List<String> types = new ArrayList<>();
        for (Field field : constants()) {
            types.add(field.get(null).toString());
        }
        assertThat(types).containsExactlyInAnyOrder(
                "urn:kb:problem:validation", "urn:kb:problem:not-found", "urn:kb:problem:unauthorized",
                "urn:kb:problem:forbidden", "urn:kb:problem:rate-limited", "urn:kb:problem:overloaded",
                "urn:kb:problem:payload-too-large", "urn:kb:problem:unsupported-media-type",
                "urn:kb:problem:upstream-unavailable", "urn:kb:problem:internal");
    }

    private static List<Field> constants() {
        List<Field> constants = new ArrayList<>();
        for (Field field : ProblemTypes.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == URI.class) {
                constants.add(field);
            }
        }
        return constants;
    }
}
