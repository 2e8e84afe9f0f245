package io.kb.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.kb.contracts.ContractViolationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentTest {

    @Test
    void needsExactlyOneForm() {
        assertThatThrownBy(() -> new Content(null, null, null)).isInstanceOf(ContractViolationException.class);
        assertThatThrownBy(() -> new Content("x", "eA==", null)).hasMessageContaining("had 2");
        assertThatThrownBy(() -> new Content("x", "eA==", "https://a.example")).hasMessageContaining("had 3");
    }

    @Test
    void tellsWhichFormItHas() {
        assertThat(Content.ofText("x").kind()).isEqualTo(Content.Kind.TEXT);
        assertThat(Content.ofBytes(new byte[] {1}).kind()).isEqualTo(Content.Kind.BASE64);
        assertThat(Content.ofReference("s3://bucket/key").kind()).isEqualTo(Content.Kind.REFERENCE);
    }

    @Test
    void sizeOfBase64IsTheDecodedLengthForEveryPadding() {
        for (int length = 0; length <= 20; length++) {
            Content content = Content.ofBytes(new byte[length]);

            assertThat(content.inlineSizeBytes()).as("%d bytes", length).isEqualTo(length);
            assertThat(content.inlineBytes()).hasSize(length);
        }
    }

    @Test
    void sizeOfTextIsItsUtf8Length() {
        String text = "a é 年 😀";

        assertThat(Content.ofText(text).inlineSizeBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void referenceHasNoInlineBytes() {
        Content content = Content.ofReference("https://example.com/a.pdf");

        assertThat(content.inlineSizeBytes()).isZero();
        assertThatIllegalStateException().isThrownBy(content::inlineBytes);
        assertThat(content.referenceUri()).isEqualTo(URI.create("https://example.com/a.pdf"));
    }

    @Test
    void bytesSurviveTheBase64Form() {
        byte[] bytes = {0, -1, 127, -128, 10, 13};

        assertThat(new Content(null, Base64.getEncoder().encodeToString(bytes), null).inlineBytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SGVsbG8", "SGVsbG8*", "SG=sbG8=", "====", "SGVsbG8==="})
    void rejectsBase64ThatIsNotStandardAndPadded(String base64) {
        assertThatThrownBy(() -> new Content(null, base64, null))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("base64"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///srv/a.pdf", "file:/srv/a.pdf", "http://intranet/a", "https://example.com/a?b=c#d",
            "s3://bucket/key/with/slashes.pdf", "https://example.com", "https://[::1]:8443/x",
            "upload:acme/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/1747000000000-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void acceptsFileHttpHttpsS3AndUploadReferences(String reference) {
        assertThat(Content.ofReference(reference).reference()).isEqualTo(reference);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/a", "HTTPS://example.com/a", "https:/a", "s3:bucket/key", "https://",
            "https://example.com/a b", "/srv/a.pdf", "relative/path", "https://example.com/a\nb", "https://exa mple.com/",
            "upload:../../etc/passwd", "upload:acme/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/../x", "upload:ACME/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "upload:acme/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/-1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "upload:acme/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.pdf", "upload://acme/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void rejectsOtherReferences(String reference) {
        assertThatThrownBy(() -> Content.ofReference(reference))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("reference"));
    }

    @Test
    void rejectsAReferenceLongerThanTheLimit() {
        String reference = "https://example.com/" + "a".repeat(Content.REFERENCE_MAX_LENGTH);

        assertThatThrownBy(() -> Content.ofReference(reference)).isInstanceOf(ContractViolationException.class);
    }
}
