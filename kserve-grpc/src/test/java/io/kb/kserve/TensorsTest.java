package io.kb.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class TensorsTest {

    @Test
    void bytesElementsArePrefixedWithTheirLittleEndianLength() {
        ByteString raw = Tensors.encodeStrings(List.of("ab", "", "é"));

        assertThat(raw.toByteArray()).containsExactly(
                2, 0, 0, 0, 'a', 'b',
                0, 0, 0, 0,
                2, 0, 0, 0, (byte) 0xC3, (byte) 0xA9);
        assertThat(Tensors.decodeStrings(raw)).containsExactly("ab", "", "é");
    }

    @Test
    void numbersAreLittleEndian() {
        assertThat(Tensors.encodeFp32(new float[] {1.0f}).toByteArray()).containsExactly(0, 0, (byte) 0x80, 0x3F);
        assertThat(Tensors.encodeInt64(new long[] {1}).toByteArray()).containsExactly(1, 0, 0, 0, 0, 0, 0, 0);
        assertThat(Tensors.encodeInt32(new int[] {258}).toByteArray()).containsExactly(2, 1, 0, 0);
        assertThat(Tensors.encodeBool(true, false).toByteArray()).containsExactly(1, 0);
    }

    @Test
    void roundTripsNumbers() {
        float[] f = {0.25f, -3.5f, Float.MIN_VALUE};
        long[] l = {Long.MIN_VALUE, 0, 42};
        int[] i = {-1, 7};
        assertThat(Tensors.decodeFp32(Tensors.encodeFp32(f))).containsExactly(f);
        assertThat(Tensors.decodeInt64(Tensors.encodeInt64(l))).containsExactly(l);
        assertThat(Tensors.decodeInt32(Tensors.encodeInt32(i))).containsExactly(i);
    }

    @Test
    void refusesTruncatedData() {
        byte[] good = Tensors.encodeStrings(List.of("hello")).toByteArray();
        ByteString cut = ByteString.copyFrom(good, 0, good.length - 1);
        ByteString half = ByteString.copyFrom(new byte[] {5, 0});

        assertThatThrownBy(() -> Tensors.decodeBytes(cut)).hasMessageContaining("element 0 claims 5 bytes");
        assertThatThrownBy(() -> Tensors.decodeBytes(half)).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Tensors.decodeFp32(ByteString.copyFrom(new byte[6])))
                .hasMessageContaining("not a whole number");
    }
}
