package io.kb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The build's own rules, which Maven's enforcer has no rule for: versions are pinned once, in the parent POM,
 * and every module carries a {@code KB :: } name.
 */
class BuildConventionsTest {

    private final Path root = Path.of(System.getProperty("kb.root", "..")).toAbsolutePath().normalize();

    @Test
    void childPomsDeclareNoDependencyOrPluginVersions() throws Exception {
        List<String> offences = new ArrayList<>();
        for (String module : modules()) {
            Document pom = parse(root.resolve(module).resolve("pom.xml"));
            for (String container : List.of("dependency", "plugin")) {
                NodeList nodes = pom.getElementsByTagName(container);
                for (int i = 0; i < nodes.getLength(); i++) {
                    Element e = (Element) nodes.item(i);
                    if (child(e, "version") != null) {
                        offences.add(module + ": " + text(e, "groupId") + ":" + text(e, "artifactId"));
                    }
                }
            }
        }
        assertThat(offences).as("versions belong in the parent POM's dependencyManagement or pluginManagement").isEmpty();
    }

    @Test
    void everyModuleIsNamedForTheProject() throws Exception {
        List<String> modules = modules();
        assertThat(modules).contains("contracts", "gateway", "ingest-service", "embedding-service",
                "retrieval-service", "inference-service", "kb-cli", "e2e-tests");
        for (String module : modules) {
            Document pom = parse(root.resolve(module).resolve("pom.xml"));
            assertThat(text(pom.getDocumentElement(), "name")).as(module).startsWith("KB :: ");
        }
    }

    private List<String> modules() throws Exception {
        Document parent = parse(root.resolve("pom.xml"));
        NodeList nodes = parent.getElementsByTagName("module");
        List<String> modules = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            modules.add(nodes.item(i).getTextContent().trim());
        }
        assertThat(modules).isNotEmpty();
        return modules;
    }

    private static Document parse(Path pom) throws Exception {
        assertThat(pom).exists();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (var in = Files.newInputStream(pom)) {
            return f.newDocumentBuilder().parse(in);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().trim();
    }
}
