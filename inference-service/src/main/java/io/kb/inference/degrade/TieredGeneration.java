package io.kb.inference.degrade;

import io.kb.inference.generate.Generation;
import io.kb.inference.generate.GenerationRequest;

/**
 * What the policy's chosen tier produced, and why that tier.
 *
 * @param tier       the tier that answered
 * @param reason     {@code healthy} when the first tier answered in full, {@code eased} when it answered with the
 *                   cheaper steps; otherwise why the first tier did not answer ({@code circuit_open}, {@code slow},
 *                   {@code queue_full}, {@code error}, {@code timeout}, {@code unavailable}, {@code overloaded})
 * @param degradedFrom the first tier, when another one answered; else {@code null}
 * @param detail     what happened to each tier tried before, for people; {@code null} when nothing did
 * @param request    the request the answering tier got (its sources are the ones the markers number)
 * @param generation what it produced
 * @param ttftNanos  its time to first token
 */
public record TieredGeneration(String tier, String reason, String degradedFrom, String detail,
        GenerationRequest request, Generation generation, long ttftNanos) {
}
