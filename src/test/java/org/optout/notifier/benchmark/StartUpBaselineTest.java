package org.optout.notifier.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The start-up baseline is a fair one only while it has the service's extensions: one added to the service and not to
 * the baseline would be counted against the service, and the other way round.
 */
class StartUpBaselineTest {

    @Test
    void theBaselineHasExactlyTheServicesQuarkusExtensionsAndVersion() throws Exception {
        Path baseline = Path.of("deploy/bench/start-up-baseline/pom.xml");
        assertThat(runtimeDependencies(baseline)).isNotEmpty()
                .containsExactlyElementsOf(quarkusAndFlyway(runtimeDependencies(Path.of("pom.xml"))));
        assertThat(property(baseline, "quarkus.platform.version"))
                .isEqualTo(property(Path.of("pom.xml"), "quarkus.platform.version"));
    }

    /** groupId:artifactId of each dependency outside the test scope, in order. */
    private static List<String> runtimeDependencies(Path pom) throws Exception {
        NodeList dependencies = root(pom).getElementsByTagName("dependency");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            boolean managed = dependency.getParentNode().getParentNode().getNodeName().equals("dependencyManagement");
            if (!managed && !"test".equals(text(dependency, "scope"))) {
                names.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId"));
            }
        }
        return names;
    }

    /** The service's own libraries (CloudEvents, biweekly, ...) are its code, not the framework's. */
    private static List<String> quarkusAndFlyway(List<String> dependencies) {
        return dependencies.stream().filter(d -> d.startsWith("io.quarkus:") || d.startsWith("org.flywaydb:"))
                .toList();
    }

    private static String property(Path pom, String name) throws Exception {
        return text(root(pom), name);
    }

    private static Element root(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    }

    private static String text(Element element, String tag) {
        NodeList found = element.getElementsByTagName(tag);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().trim();
    }
}
