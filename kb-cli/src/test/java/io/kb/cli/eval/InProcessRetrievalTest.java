package io.kb.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.ingest.parse.Block;
import io.kb.ingest.parse.BlockKind;
import io.kb.ingest.parse.ParsedDocument;
import org.junit.jupiter.api.Test;

class InProcessRetrievalTest {

    @Test
    void aDocumentBecomesItsTitleAsHeadingAndItsParagraphs() {
        ParsedDocument parsed = InProcessRetrieval.parsed(new BeirDataset.Document("d1", "  The  title ",
                "First   paragraph,\nwrapped.\n\n\n  Second one.  "));

        assertThat(parsed.text()).isEqualTo("The title\n\nFirst paragraph, wrapped.\n\nSecond one.");
        assertThat(parsed.title()).isEqualTo("The title");
        assertThat(parsed.blocks()).extracting(Block::kind)
                .containsExactly(BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.PARAGRAPH);
        assertThat(parsed.blocks()).allSatisfy(b -> assertThat(b.headingPath()).containsExactly("The title"));
        assertThat(parsed.blocks().get(2).startOffset()).isEqualTo(parsed.text().indexOf("Second"));
    }

    @Test
    void aDocumentWithoutTitleHasOnlyParagraphs() {
        ParsedDocument parsed = InProcessRetrieval.parsed(new BeirDataset.Document("d1", "", "Only text."));

        assertThat(parsed.title()).isNull();
        assertThat(parsed.blocks()).singleElement().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(BlockKind.PARAGRAPH);
            assertThat(b.headingPath()).isEmpty();
        });
    }

    @Test
    void aDocumentWithoutAnyTextHasNothingToIndex() {
        assertThat(InProcessRetrieval.parsed(new BeirDataset.Document("d1", " ", "\n\n"))).isNull();
    }
}
