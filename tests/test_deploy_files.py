"""The deployment files, checked offline by the tools that read them (part of `make test`).

Kubernetes: `kubectl kustomize` renders the base and the overlay, `kubernetes-validate --strict`
accepts every object for two Kubernetes versions (its bundled schemas), the ServiceMonitor (a
prometheus-operator CRD it has no schema for) passes the operator's schema-generated models, and
the objects agree with each other and with the image. Compose: the Prometheus configuration
passes promtool, the mounted files exist, every published port is on 127.0.0.1. Grafana: the
dashboard is what utils/build_dashboard.py builds, round-trips through Grafana's schema models
and every query parses as PromQL. yamllint is clean on every YAML file of the repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
KUBECTL = shutil.which("kubectl")
PROMTOOL = shutil.which("promtool")
VALIDATE = Path(sys.executable).parent / "kubernetes-validate"
# The oldest Kubernetes release still maintained by the big providers, and the newest bundled.
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
needs_kubectl = pytest.mark.skipif(
    KUBECTL is None, reason="kubectl is not installed (it renders kustomize: kubectl kustomize)"
)
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool is not installed (Debian: apt-get install prometheus)"
)


def render(folder: Path) -> list[dict[str, Any]]:
    """`kubectl kustomize folder`: the objects it renders."""
    assert KUBECTL is not None
    done = subprocess.run(
        [KUBECTL, "kustomize", str(folder)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def by_kind(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The one object of each kind (NetworkPolicies, one per kind of pod, are left out)."""
    kinds: dict[str, dict[str, Any]] = {}
    for item in objects:
        if item["kind"] == "NetworkPolicy":
            continue
        assert item["kind"] not in kinds, f"two {item['kind']} objects"
        kinds[item["kind"]] = item
    return kinds


def with_component(component: str, folder: Path) -> Path:
    """A kustomization in `folder` of the base plus `component` (deploy/k8s/components/NAME),
    as an overlay that adds it would be."""
    k8s = os.path.relpath(K8S, folder)
    text = {"resources": [f"{k8s}/base"], "components": [f"{k8s}/components/{component}"]}
    (folder / "kustomization.yaml").write_text(yaml.safe_dump(text))
    return folder


@pytest.fixture(scope="module", params=["base", "overlays/production", "components/geoip"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rendered manifests of the base, of the overlay and of the base with the optional
    geo-IP component, as a file."""
    if KUBECTL is None:
        pytest.skip("kubectl is not installed (it renders kustomize: kubectl kustomize)")
    folder = K8S / request.param
    if request.param.startswith("components/"):
        folder = with_component(folder.name, tmp_path_factory.mktemp("overlay"))
    out = tmp_path_factory.mktemp("k8s") / "rendered.yaml"
    out.write_text(yaml.safe_dump_all(render(folder)))
    return out


@needs_kubectl
def test_the_geoip_component_mounts_the_file_the_server_is_told(tmp_path: Path) -> None:
    kinds = by_kind(render(with_component("geoip", tmp_path)))
    pod = kinds["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    env = {item["name"]: item["value"] for item in container["env"]}
    assert env["WORLD_TIMER_LOG_DIR"] == "/var/log/world-timer"  # the base's, kept
    mount = next(m for m in container["volumeMounts"] if m["name"] == "geoip")
    assert mount["mountPath"] == env["WORLD_TIMER_GEOIP_DB"]
    assert (mount["subPath"], mount["readOnly"]) == (Path(mount["mountPath"]).name, True)
    volume = next(v for v in pod["volumes"] if v["name"] == "geoip")
    claim = kinds["PersistentVolumeClaim"]
    assert volume["persistentVolumeClaim"] == {
        "claimName": claim["metadata"]["name"],
        "readOnly": True,
    }
    assert claim["spec"]["accessModes"] == ["ReadOnlyMany"]
    assert {m["name"] for m in container["volumeMounts"]} == {"logs", "tmp", "geoip"}


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_kubernetes_validate_strict_accepts_every_object(rendered: Path, version: str) -> None:
    objects = list(yaml.safe_load_all(rendered.read_text()))
    done = subprocess.run(
        [str(VALIDATE), "--strict", "-k", version, str(rendered)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    passed = re.findall(r"^INFO .* passed for resource (\S+) against", done.stdout, re.M)
    expected = {f"{o['kind'].lower()}/{o['metadata']['name']}" for o in objects}
    # Only the CRD has no bundled schema: it is checked below with the operator's models.
    assert set(passed) == expected - {"servicemonitor/world-timer"}
    assert "Couldn't find schema for kind ServiceMonitor" in done.stdout


def test_kubernetes_validate_strict_rejects_an_unknown_field(tmp_path: Path) -> None:
    """The check above can fail: a misspelt field of the Deployment is refused."""
    deployment = yaml.safe_load((K8S / "base" / "deployment.yaml").read_text())
    deployment["spec"]["template"]["spec"]["automountServiceAcountToken"] = False
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(deployment))
    done = subprocess.run(
        [str(VALIDATE), "--strict", "-k", KUBERNETES_VERSIONS[0], str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "automountServiceAcountToken" in done.stdout + done.stderr


def test_the_service_monitor_passes_the_operators_schema() -> None:
    from cloudcoil.models.prometheus_operator import v1

    document = yaml.safe_load((K8S / "base" / "servicemonitor.yaml").read_text())
    model = v1.ServiceMonitor.model_validate(document)
    # Unknown fields are dropped by the models: a round trip that loses nothing is strict.
    assert model.model_dump(by_alias=True, exclude_unset=True, mode="json") == document
    misspelt = {**document, "spec": {**document["spec"], "endpoint": []}}
    again = v1.ServiceMonitor.model_validate(misspelt)
    assert again.model_dump(by_alias=True, exclude_unset=True, mode="json") != misspelt


@needs_kubectl
def test_the_objects_agree_with_each_other_and_the_image() -> None:
    kinds = by_kind(render(K8S / "base"))
    deployment, service = kinds["Deployment"], kinds["Service"]
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    spec = pod["spec"]
    (container,) = spec["containers"]
    assert deployment["spec"]["replicas"] >= 2
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert service["spec"]["selector"].items() <= labels.items()
    assert kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert kinds["ServiceMonitor"]["spec"]["selector"]["matchLabels"].items() <= (
        service["metadata"]["labels"].items()
    )
    target = kinds["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    # Security: non-root (the image's UID), no token, read-only root, nothing extra.
    assert spec["automountServiceAccountToken"] is False
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] == 10001  # USER in the Containerfile
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert "/var/log/world-timer" in mounts  # WORLD_TIMER_LOG_DIR, the one folder written
    # Probes and scraping on the API's port, the port the image serves (EXPOSE 8080).
    (port,) = container["ports"]
    containerfile = (ROOT / "Containerfile").read_text()
    assert f"EXPOSE {port['containerPort']}" in containerfile
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": port["name"]}
    annotations = pod["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == str(port["containerPort"])
    assert annotations["prometheus.io/path"] == "/metrics"
    assert container["resources"]["requests"] and container["resources"]["limits"]
    # The CronJob pushes its run metrics; it runs the same image, non-root, read-only.
    job = kinds["CronJob"]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert job["automountServiceAccountToken"] is False
    (runner,) = job["containers"]
    assert runner["image"] == container["image"]
    assert any(arg.startswith("--pushgateway=http") for arg in runner["args"])
    assert runner["securityContext"]["readOnlyRootFilesystem"] is True


def _mebibytes(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}
    return float(quantity[:-2]) * units[quantity[-2:]]


@needs_kubectl
def test_the_memory_request_and_limit_follow_the_stated_measurement() -> None:
    """The request covers the peak measured with utils/measure_rss.py (stated in the
    manifest's comment) with a fifth on top; the limit also holds the in-memory /tmp."""
    text = (K8S / "base" / "deployment.yaml").read_text()
    peak = float(re.search(r"peaked at (\d+) MiB", text)[1])  # type: ignore[index]
    assert peak >= 66.5  # the worker's own VmHWM after the miss flood, shared pages and all
    spec = by_kind(render(K8S / "base"))["Deployment"]["spec"]["template"]["spec"]
    (container,) = spec["containers"]
    request = _mebibytes(container["resources"]["requests"]["memory"])
    limit = _mebibytes(container["resources"]["limits"]["memory"])
    (tmp,) = [v for v in spec["volumes"] if v["name"] == "tmp"]
    assert tmp["emptyDir"]["medium"] == "Memory"  # counted against the container's limit
    assert request >= 1.2 * peak
    assert limit - _mebibytes(tmp["emptyDir"]["sizeLimit"]) >= 1.5 * peak
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]


def _peers(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [peer for rule in rules for peer in rule.get("from", rule.get("to", []))]


@pytest.mark.parametrize("folder", ["base", "overlays/production"])
@needs_kubectl
def test_network_policies_admit_only_the_proxy_and_prometheus(folder: str) -> None:
    objects = render(K8S / folder)
    policies = {o["metadata"]["name"]: o["spec"] for o in objects if o["kind"] == "NetworkPolicy"}
    kinds = by_kind(objects)
    pods = {
        "world-timer": kinds["Deployment"]["spec"]["template"],
        "world-timer-run": kinds["CronJob"]["spec"]["jobTemplate"]["spec"]["template"],
    }
    assert set(policies) == set(pods)  # every kind of pod has its policy
    for name, pod in pods.items():
        policy = policies[name]
        assert policy["podSelector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
        # Both directions are governed: what no rule admits is denied.
        assert sorted(policy["policyTypes"]) == ["Egress", "Ingress"]
        for peer in _peers(policy["ingress"] + policy["egress"]):
            assert "ipBlock" not in peer  # peers by label only
            # A namespace named by its label, never `{}` (every namespace).
            assert peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
    api = policies["world-timer"]
    (rule,) = api["ingress"]
    assert rule["ports"] == [{"port": "http", "protocol": "TCP"}]  # the container's port name
    (port,) = pods["world-timer"]["spec"]["containers"][0]["ports"]
    assert port["name"] == "http"
    assert rule["from"] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}},
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}},
        },
    ]
    assert api["egress"] == []  # the server connects nowhere, DNS included
    run = policies["world-timer-run"]
    assert run["ingress"] == []
    ports = sorted((p["port"], p["protocol"]) for r in run["egress"] for p in r["ports"])
    assert ports == [(53, "TCP"), (53, "UDP"), (9091, "TCP")]
    pushgateway = next(a for a in pods["world-timer-run"]["spec"]["containers"][0]["args"]
                       if a.startswith("--pushgateway="))  # fmt: skip
    assert pushgateway.endswith(".monitoring.svc:9091")  # the namespace the policy admits


@needs_kubectl
def test_the_overlay_sets_namespace_replicas_and_image() -> None:
    objects = render(K8S / "overlays" / "production")
    kinds = by_kind(objects)
    assert all(
        o["metadata"].get("namespace") == "world-timer" for o in objects if o["kind"] != "Namespace"
    )
    assert kinds["Deployment"]["spec"]["replicas"] == 3
    assert kinds["HorizontalPodAutoscaler"]["spec"]["minReplicas"] == 3
    image = kinds["Deployment"]["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == "ghcr.io/world-timer/world-timer:0.2.0"


def test_yamllint_is_clean_on_every_yaml_file() -> None:
    from yamllint import linter
    from yamllint.config import YamlLintConfig

    config = YamlLintConfig(file=str(ROOT / ".yamllint.yaml"))
    files = [
        path
        for pattern in ("*.yaml", "*.yml")
        for path in ROOT.rglob(pattern)
        if not config.is_file_ignored(str(path.relative_to(ROOT)))
    ]
    assert len(files) >= 15
    problems = [
        f"{path.relative_to(ROOT)}:{p.line}: {p.message}"
        for path in files
        for p in linter.run(path.read_text(), config, str(path))
    ]
    assert problems == []


def test_compose_file_publishes_on_loopback_and_mounts_files_that_exist() -> None:
    for name in ("compose.yaml", "compose.grafana.yaml"):
        services = yaml.safe_load((ROOT / name).read_text())["services"]
        for service in services.values():
            for port in service.get("ports", []):
                assert port.startswith("127.0.0.1:"), (name, port)
            for volume in service.get("volumes", []):
                source = volume.split(":")[0]
                assert (ROOT / source).exists(), (name, volume)
    stack = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert stack["world-timer"]["deploy"]["replicas"] == 2
    assert stack["world-timer"]["read_only"] is True


@needs_promtool
def test_promtool_accepts_the_stacks_prometheus_config(tmp_path: Path) -> None:
    for name in ("prometheus.yml",):
        shutil.copy(ROOT / "deploy" / "compose" / name, tmp_path / name)
    shutil.copy(ROOT / "misc" / "world-timer.rules.yml", tmp_path / "world-timer.rules.yml")
    assert PROMTOOL is not None
    done = subprocess.run(
        [PROMTOOL, "check", "config", str(tmp_path / "prometheus.yml")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS: 2 rules found" in done.stdout


def test_containers_conf_has_the_settings_this_machine_needs() -> None:
    conf = tomllib.loads((ROOT / "deploy" / "podman" / "containers.conf").read_text())
    assert conf["engine"]["runtime"] == "runc"
    assert conf["engine"]["cgroup_manager"] == "cgroupfs"
    assert conf["engine"]["events_logger"] == "file"
    assert conf["containers"]["default_ulimits"] == ["nofile=20000:20000", "nproc=32768:32768"]


def test_the_dashboard_is_built_and_round_trips_through_grafanas_schema() -> None:
    import build_dashboard
    from grafana_foundation_sdk.cog.encoder import JSONEncoder
    from grafana_foundation_sdk.cog.plugins import register_default_plugins
    from grafana_foundation_sdk.models.dashboard import Dashboard

    committed = (ROOT / "deploy" / "grafana" / "dashboards" / "world-timer.json").read_text()
    assert committed == build_dashboard.render(build_dashboard.build()), "run build_dashboard.py"
    board = json.loads(committed)
    register_default_plugins()
    back = json.loads(JSONEncoder(sort_keys=True).encode(Dashboard.from_json(board)))
    assert back == board
    ids = [panel["id"] for panel in board["panels"]]
    assert len(set(ids)) == len(ids)
    titles = " ".join(panel["title"] for panel in board["panels"])
    for wanted in ("Requests/s", "Latency", "5xx", "Top 10 zones", "Runs by result"):
        assert wanted in titles


@needs_promtool
def test_every_dashboard_query_parses_as_promql(tmp_path: Path) -> None:
    """Each query becomes a recording rule that promtool must parse (Grafana's $__ variables
    replaced by a duration)."""
    import build_dashboard

    exprs = build_dashboard.expressions(build_dashboard.build())
    assert len(exprs) >= 12
    rules = [
        {"record": f"dashboard:query{n}", "expr": re.sub(r"\$__\w+", "5m", expr)}
        for n, expr in enumerate(exprs)
    ]
    path = tmp_path / "dashboard.rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    assert PROMTOOL is not None
    done = subprocess.run(
        [PROMTOOL, "check", "rules", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SUCCESS: {len(rules)} rules found" in done.stdout
