package io.llmobservatory.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/kubernetes is generated from the build and assembles with kustomize: the committed service manifests equal
 * what quarkus-kubernetes produced in this build, {@code kubectl kustomize} builds the suite, and every object
 * parses into the Kubernetes model (fabric8) without a field the schema does not know.
 */
class KubernetesManifestsIT {
    private static final Path ROOT = Suite.projectRoot();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @ValueSource(strings = {"ingest", "enrich", "query", "alerting"})
    void committedManifestsAreWhatTheBuildGenerates(String service) throws IOException {
        Path built = ROOT.resolve("services/" + service + "/target/kubernetes/kubernetes.yml");
        Path committed = ROOT.resolve("deploy/kubernetes/generated/observatory-" + service + ".yml");
        // The order of labels, ports and envFrom entries is not stable between builds: compare parsed documents with
        // lists sorted; the generator leaves out the commit id.
        List<JsonNode> fromBuild = docs(Files.readString(built));
        fromBuild.forEach(KubernetesManifestsIT::withoutCommitId);
        assertThat(new HashSet<>(docs(Files.readString(committed)).stream().map(KubernetesManifestsIT::canonical).toList()))
                .as("run deploy/generate-kubernetes")
                .isEqualTo(new HashSet<>(fromBuild.stream().map(KubernetesManifestsIT::canonical).toList()));
    }

    @Test
    void kustomizeBuildsTheSuiteAndEveryObjectFitsTheKubernetesSchema() throws Exception {
        String out = kustomize();

        List<String> kinds = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : docs(out)) {
            HasMetadata object = Serialization.unmarshal(YAML.writeValueAsString(doc), HasMetadata.class);
            kinds.add(object.getKind());
            assertThat(object.getMetadata().getNamespace()).as(object.getKind() + " " + object.getMetadata().getName())
                    .isIn("llm-observatory", null);
            if (!(object instanceof GenericKubernetesResource)) {
                strict(object, object.getKind() + "/" + object.getMetadata().getName(), problems);
            }
            if (object instanceof Deployment d && d.getMetadata().getName().startsWith("observatory-")) {
                var pod = d.getSpec().getTemplate().getSpec();
                var container = pod.getContainers().get(0);
                String name = d.getMetadata().getName();
                assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
                assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as(name).containsKey("memory");
                assertThat(container.getLivenessProbe()).as(name).isNotNull();
                assertThat(container.getReadinessProbe()).as(name).isNotNull();
                assertThat(container.getEnvFrom()).as(name).anySatisfy(e -> assertThat(e.getConfigMapRef()).isNotNull())
                        .anySatisfy(e -> assertThat(e.getSecretRef()).isNotNull());
                assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).as(name)
                        .containsEntry("prometheus.io/scrape", "true");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(kinds).contains("Namespace", "ConfigMap", "Secret", "StatefulSet", "HorizontalPodAutoscaler",
                "PrometheusRule", "ServiceMonitor", "AlertmanagerConfig");
        assertThat(kinds.stream().filter("StatefulSet"::equals)).hasSize(3); // TimescaleDB, Tempo, Loki
        assertThat(kinds.stream().filter("Deployment"::equals)).hasSize(5); // the four services and Grafana
    }

    /**
     * The services reach each other at the addresses the ConfigMap gives: every host:port in it (a _HOST with its
     * _PORT, or a URL) names a Service of the suite and one of that Service's ports (the operator's
     * alertmanager-operated aside). Trace routing reads the headless Service, which selects exactly the enrich pods
     * on enrich's port; enrich and query, which wait for each other's migrations with their port closed (not
     * ready), have a startup probe that outlasts the wait for Flyway's lock (an hour, FlywayLockWait).
     */
    @Test
    void theConfigsAddressesAreServicePortsAndRoutingReadsTheHeadlessService() throws Exception {
        List<JsonNode> objects = docs(kustomize());
        Map<String, JsonNode> services = new java.util.TreeMap<>();
        Map<String, JsonNode> deployments = new java.util.TreeMap<>();
        JsonNode config = null;
        for (JsonNode o : objects) {
            String name = o.at("/metadata/name").asText();
            switch (o.path("kind").asText()) {
                case "Service" -> services.put(name, o);
                case "Deployment" -> deployments.put(name, o);
                case "ConfigMap" -> config = name.equals("observatory-config") ? o : config;
                default -> { }
            }
        }
        assertThat(config).isNotNull();
        Map<String, String> data = YAML.convertValue(config.path("data"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
        java.util.regex.Pattern url = java.util.regex.Pattern.compile("^(?:[a-z]+://)?([a-z0-9.-]+):(\\d+)(?:/.*)?$");
        List<String> addresses = new ArrayList<>();
        data.forEach((key, value) -> {
            java.util.regex.Matcher m = url.matcher(value);
            if (key.endsWith("_REPLICAS_HOST")) {
                return; // below
            } else if (key.endsWith("_HOST")) {
                String port = data.get(key.substring(0, key.length() - "HOST".length()) + "PORT");
                assertThat(port).as("the port that goes with " + key).isNotNull();
                addresses.add(key + "=" + value + ":" + port);
            } else if (m.matches()) {
                addresses.add(key + "=" + m.group(1) + ":" + m.group(2));
            }
        });
        assertThat(addresses).as("addresses in the ConfigMap").hasSizeGreaterThanOrEqualTo(8);
        for (String address : addresses) {
            String hostPort = address.substring(address.indexOf('=') + 1);
            String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
            int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            if (host.equals("alertmanager-operated")) {
                continue; // created by the Prometheus operator for the cluster's Alertmanager
            }
            assertThat(services).as(address + ": a Service of that name").containsKey(host);
            assertThat(ports(services.get(host))).as(address + ": a port of Service " + host).contains(port);
        }

        // Routing: the headless Service named in the config selects the enrich pods, on the port ingest dials.
        String headless = data.get("OBSERVATORY_INGEST_ENRICH_REPLICAS_HOST");
        assertThat(headless).as("trace routing configured").isNotNull();
        JsonNode routed = services.get(headless);
        assertThat(routed).as("Service " + headless).isNotNull();
        assertThat(routed.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(ports(routed)).contains(Integer.parseInt(data.get("OBSERVATORY_INGEST_ENRICH_PORT")));
        Map<String, String> selector = YAML.convertValue(routed.at("/spec/selector"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
        assertThat(selector).isNotEmpty();
        for (var d : deployments.entrySet()) {
            Map<String, String> labels = YAML.convertValue(d.getValue().at("/spec/template/metadata/labels"),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
            boolean selected = labels.entrySet().containsAll(selector.entrySet());
            assertThat(selected).as(headless + " selects the pods of " + d.getKey())
                    .isEqualTo(d.getKey().equals("observatory-enrich"));
        }

        // Probes during migration.
        for (String migrating : List.of("observatory-enrich", "observatory-query")) {
            JsonNode container = deployments.get(migrating).at("/spec/template/spec/containers/0");
            int port = container.at("/ports/0/containerPort").asInt();
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/readinessProbe/httpGet/port").asInt()).isEqualTo(port);
            JsonNode startup = container.path("startupProbe");
            long patience = startup.path("initialDelaySeconds").asLong()
                    + startup.path("failureThreshold").asLong() * startup.path("periodSeconds").asLong(10);
            assertThat(patience).as(migrating + ": seconds its startup probe waits").isGreaterThanOrEqualTo(3600);
        }
    }

    private static List<Integer> ports(JsonNode service) {
        List<Integer> out = new ArrayList<>();
        service.at("/spec/ports").forEach(p -> out.add(p.path("port").asInt()));
        return out;
    }

    private static String kustomize() throws IOException, InterruptedException {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve("deploy/kubernetes").toString()).start();
        String out = new String(kubectl.getInputStream().readAllBytes());
        String err = new String(kubectl.getErrorStream().readAllBytes());
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as(err).isZero();
        return out;
    }

    /** Fields the model does not know land in additionalProperties: a typo or a field of another schema. */
    private static void strict(Object o, String path, List<String> problems) throws IllegalAccessException {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                strict(e, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                strict(e.getValue(), path + "." + e.getKey(), problems);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(o);
            } catch (InvocationTargetException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": fields not in the schema " + extra.keySet());
                }
                continue;
            }
            strict(v, path + "." + m.getName().substring(3), problems);
        }
    }

    /** The document with every list's elements in a fixed order (their canonical text), recursively. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(n -> items.add(canonical(n)));
            items.sort(java.util.Comparator.comparing(JsonNode::toString));
            com.fasterxml.jackson.databind.node.ArrayNode out = YAML.createArrayNode();
            items.forEach(out::add);
            return out;
        }
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode out = YAML.createObjectNode();
            new java.util.TreeMap<String, JsonNode>(YAML.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<
                    Map<String, JsonNode>>() { })).forEach((k, v) -> out.set(k, canonical(v)));
            return out;
        }
        return node;
    }

    private static void withoutCommitId(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.remove("app.quarkus.io/commit-id");
        }
        node.forEach(KubernetesManifestsIT::withoutCommitId);
    }

    /** The documents of a multi-document YAML text (empty documents left out). */
    static List<JsonNode> docs(String yaml) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    out.add(n);
                }
            }
        }
        return out;
    }
}
