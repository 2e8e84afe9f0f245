package io.kb.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SupportedMediaTypesTest {

    @ParameterizedTest
    @EnumSource(SupportedMediaTypes.class)
    void findsEverySupportedTypeByItsValue(SupportedMediaTypes type) {
        assertThat(SupportedMediaTypes.find(type.value())).contains(type);
    }

    @Test
    void ignoresParameters() {
        assertThat(SupportedMediaTypes.of("text/plain; charset=utf-8")).isEqualTo(SupportedMediaTypes.TEXT_PLAIN);
        assertThat(SupportedMediaTypes.of("text/html ;charset=\"ISO-8859-1\"")).isEqualTo(SupportedMediaTypes.TEXT_HTML);
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/png", "text/csv", "Text/Plain", "text/plain\n", " text/plain", "text/plainx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml", "text/plain; charset=utf-8\r\nX-Injected: 1"})
    void rejectsOtherTypesNamingMediaTypeAndListingTheSupportedOnes(String mediaType) {
        assertThatThrownBy(() -> SupportedMediaTypes.of(mediaType))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e.field()).isEqualTo("mediaType");
                    assertThat(e.getMessage()).contains("application/pdf", "message/rfc822", "application/octet-stream");
                });
    }

    @Test
    void rejectsAMediaTypeLongerThanTheLimit() {
        String longType = "text/plain; x=" + "y".repeat(SupportedMediaTypes.MAX_LENGTH);

        assertThat(SupportedMediaTypes.find(longType)).isEmpty();
    }

    @Test
    void theRegexSeparatesTheTypesLiterally() {
        // An unescaped '.' in the expression would accept this.
        assertThat(SupportedMediaTypes.find("application/vndXopenxmlformats-officedocument.spreadsheetml.sheet")).isEmpty();
    }
}
