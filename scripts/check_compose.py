"""Check docker-compose.yaml without a Docker engine: the compose-spec schema, then references.

    python scripts/check_compose.py [docker-compose.yaml]

1. `check-jsonschema --builtin-schema vendor.compose-spec` (unknown keys, wrong types, bad
   depends_on conditions). The schema cannot see references between services, so:
2. the YAML is read with anchors and `<<` merges resolved (PyYAML does both; a key given twice
   is an error, as in Docker Compose) and every
   `depends_on` must name a defined service, with no cycle, and no always-on service may need a
   service that only runs under a profile; every named volume a service mounts must be declared;
3. newsfacts' own rules: the Airflow services exist, all of them share one JWT secret, and
   airflow-init creates the one-slot `duckdb_writer` pool.

Exit status 1 and one line per problem on stderr when anything is wrong.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

AIRFLOW_SERVICES = (
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-init",
)
REQUIRED_SERVICES = ("postgres", "redis", *AIRFLOW_SERVICES)
JWT_SECRET = "AIRFLOW__API_AUTH__JWT_SECRET"
POOL_COMMAND = "pools set duckdb_writer 1"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last one
    silently; Docker Compose refuses the file). `<<` merge keys are resolved as usual."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def load(path: Path) -> Any:
    """The compose document with anchors and merges resolved; duplicate keys are an error."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)


def schema_problems(path: Path) -> list[str]:
    """What check-jsonschema reports against the compose-spec schema (empty when valid)."""
    exe = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    done = subprocess.run(
        [exe, "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return []
    return [f"schema: {line}" for line in (done.stdout + done.stderr).splitlines() if line.strip()]


def _dependencies(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """depends_on in either form (list of names, or mapping of name to options)."""
    depends = service.get("depends_on") or {}
    if isinstance(depends, list):
        return {str(name): {} for name in depends}
    return {str(name): dict(options or {}) for name, options in depends.items()}


def _named_volume(volume: Any) -> str | None:
    """The volume name of a mount that uses a named volume, else None (bind or anonymous)."""
    if isinstance(volume, dict):
        source = volume.get("source")
        return str(source) if volume.get("type", "volume") == "volume" and source else None
    parts = str(volume).split(":")
    if len(parts) < 2 or parts[0].startswith(("/", ".", "~", "$")):
        return None
    return parts[0]


def _find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One dependency cycle as a path of service names, or [] when there is none."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def reference_problems(document: Any) -> list[str]:
    """depends_on targets, cycles, profile gaps and named volumes of a loaded compose document."""
    if not isinstance(document, dict) or not isinstance(document.get("services"), dict):
        return ["no `services` mapping"]
    services: dict[str, Any] = document["services"]
    declared_volumes = set((document.get("volumes") or {}).keys())
    problems = []
    graph: dict[str, set[str]] = {}
    for name, entry in services.items():
        service = entry or {}
        deps = _dependencies(service)
        graph[name] = set(deps)
        for dep, options in deps.items():
            if dep not in services:
                problems.append(f"service {name!r} depends on undefined service {dep!r}")
            elif dep == name:
                problems.append(f"service {name!r} depends on itself")
            elif (
                not service.get("profiles")
                and (services[dep] or {}).get("profiles")
                and options.get("required", True)
            ):
                problems.append(
                    f"service {name!r} always runs but depends on {dep!r}, "
                    "which only runs under a profile"
                )
        for volume in service.get("volumes") or []:
            source = _named_volume(volume)
            if source and source not in declared_volumes:
                problems.append(f"service {name!r} mounts undeclared volume {source!r}")
    cycle = _find_cycle({k: v & set(services) for k, v in graph.items()})
    if cycle:
        problems.append("depends_on cycle: " + " -> ".join(cycle))
    return problems


def _command_text(service: dict[str, Any]) -> str:
    command = service.get("command") or ""
    return "\n".join(command) if isinstance(command, list) else str(command)


def project_problems(document: Any) -> list[str]:
    """newsfacts' rules: the services, one JWT secret everywhere, the writer pool in init."""
    services: dict[str, Any] = document.get("services") or {}
    problems = [f"missing service {name!r}" for name in REQUIRED_SERVICES if name not in services]
    secrets = {}
    for name in AIRFLOW_SERVICES:
        environment = (services.get(name) or {}).get("environment") or {}
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment if "=" in item)
        secrets[name] = environment.get(JWT_SECRET)
    present = {name: value for name, value in secrets.items() if name in services}
    if any(value is None for value in present.values()):
        unset = sorted(name for name, value in present.items() if value is None)
        problems.append(f"{JWT_SECRET} not set for {', '.join(unset)}")
    elif len(set(present.values())) > 1:
        problems.append(f"{JWT_SECRET} differs between services: {present}")
    if POOL_COMMAND not in _command_text(services.get("airflow-init") or {}):
        problems.append(f"airflow-init does not run `airflow {POOL_COMMAND} ...`")
    return problems


def check(path: Path) -> list[str]:
    """Every problem found in a compose file: schema first, then references and house rules."""
    try:
        document = load(path)
    except (OSError, yaml.YAMLError) as exc:
        return [f"cannot read {path}: {exc}"]
    problems = schema_problems(path)
    problems += reference_problems(document)
    if not problems:
        problems += project_problems(document)
    return problems


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "docker-compose.yaml")
    problems = check(path)
    for problem in problems:
        sys.stderr.write(f"{path}: {problem}\n")
    if not problems:
        sys.stdout.write(f"{path}: ok (compose-spec schema, references, project rules)\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
