#!/usr/bin/env python3
"""Checks deploy/kubernetes/ offline (CI runs it):

1. every manifest validates against the Kubernetes schemas of the oldest and newest versions
   we support (PyPI `kubernetes-validate --strict`: unknown fields are errors);
2. with `kubectl` on PATH, the kustomization renders (`kubectl kustomize`), and the rendered
   objects, the generated ConfigMaps among them, validate too;
3. the rules ConfigMaps hold every file of rules/ (README.md aside) exactly once, each in the
   map of its directory, each under 1 MiB (the API server's limit for a ConfigMap), and the
   Deployment's projected volume puts every gazetteer/ and topics/ key back at its path;
4. the pod outlives its drain: terminationGracePeriodSeconds > preStop sleep + drain timeout;
   the probes are native gRPC probes, readiness on the classifier's own health status.

Usage: scripts/check_deploy.py [--kubernetes-versions 1.30.0,1.37.0]
Needs: python3 with `kubernetes-validate` (pip install kubernetes-validate; it brings PyYAML).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KDIR = os.path.join(ROOT, "deploy", "kubernetes")
RULES = os.path.join(ROOT, "rules")
CONFIGMAP_LIMIT = 1 << 20
# The rules ConfigMap for each directory of rules/ ("" = the top level).
MAPS = {"": "khabar-rules", "gazetteer": "khabar-rules-gazetteer", "topics": "khabar-rules-topics"}

errors = []


def fail(msg):
    errors.append(msg)
    print(f"check_deploy: FAIL {msg}", file=sys.stderr)


def validate(paths, versions):
    exe = shutil.which("kubernetes-validate")
    if exe is None:
        fail("kubernetes-validate not found (pip install kubernetes-validate)")
        return
    for v in versions:
        r = subprocess.run([exe, "--strict", "--quiet", "-k", v, *paths], capture_output=True, text=True)
        out = (r.stdout + r.stderr).strip()
        if r.returncode != 0:
            fail(f"schema validation against Kubernetes {v}:\n{out}")
        else:
            print(f"check_deploy: {len(paths)} file(s) valid against Kubernetes {v} (strict)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kubernetes-versions", default="1.30.0,1.37.0")
    args = ap.parse_args()
    versions = args.kubernetes_versions.split(",")

    with open(os.path.join(KDIR, "kustomization.yaml")) as f:
        kust = yaml.safe_load(f)
    resources = [os.path.join(KDIR, r) for r in kust["resources"]]
    validate(resources, versions)

    kubectl = shutil.which("kubectl")
    if kubectl:
        r = subprocess.run(
            [kubectl, "kustomize", "--load-restrictor", "LoadRestrictionsNone", KDIR],
            capture_output=True,
            text=True,
        )
        if r.returncode != 0:
            fail(f"kubectl kustomize: {r.stderr.strip()}")
        else:
            with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as t:
                t.write(r.stdout)
            try:
                kinds = sorted(d["kind"] for d in yaml.safe_load_all(r.stdout) if d)
                print(f"check_deploy: kustomization renders {len(kinds)} objects: {', '.join(kinds)}")
                validate([t.name], versions)
            finally:
                os.unlink(t.name)
    else:
        print("check_deploy: kubectl not on PATH: the rendered kustomization is not validated")

    # 3. rules files <-> generators <-> projected items
    expected = {}
    for dirpath, _, names in os.walk(RULES):
        rel = os.path.relpath(dirpath, RULES)
        rel = "" if rel == "." else rel
        for n in names:
            if n == "README.md" and rel == "":
                continue
            if rel not in MAPS:
                fail(f"rules/{rel}/{n}: no ConfigMap for directory {rel}/ (add one to MAPS, the kustomization and the Deployment)")
                continue
            expected[os.path.join(rel, n)] = MAPS[rel]
    listed = {}
    sizes = {}
    for gen in kust.get("configMapGenerator", []):
        for entry in gen.get("files", []):
            path = entry.split("=", 1)[-1]
            full = os.path.normpath(os.path.join(KDIR, path))
            rel = os.path.relpath(full, RULES)
            if rel in listed:
                fail(f"{rel} is listed twice in the kustomization")
            listed[rel] = gen["name"]
            if os.path.exists(full):
                sizes[gen["name"]] = sizes.get(gen["name"], 0) + os.path.getsize(full)
            else:
                fail(f"kustomization.yaml lists {path}, which does not exist")
    for rel, name in sorted(expected.items()):
        if rel not in listed:
            fail(f"rules/{rel} is in no ConfigMap: add it to {name} in deploy/kubernetes/kustomization.yaml")
        elif listed[rel] != name:
            fail(f"rules/{rel} is in ConfigMap {listed[rel]}, expected {name}")
    for rel in sorted(set(listed) - set(expected)):
        fail(f"kustomization.yaml lists {rel}, which is not a rules file")
    for name, size in sorted(sizes.items()):
        print(f"check_deploy: ConfigMap {name}: {size} bytes ({100 * size / CONFIGMAP_LIMIT:.0f}% of 1 MiB)")
        if size >= CONFIGMAP_LIMIT:
            fail(f"ConfigMap {name} holds {size} bytes, over the 1 MiB limit: split it")

    with open(os.path.join(KDIR, "deployment.yaml")) as f:
        deploy = yaml.safe_load(f)
    pod = deploy["spec"]["template"]["spec"]
    volume = next(v for v in pod["volumes"] if v["name"] == "rules")
    placed = {}
    for src in volume["projected"]["sources"]:
        cm = src["configMap"]
        if "items" in cm:
            for it in cm["items"]:
                placed[it["path"]] = (cm["name"], it["key"])
        else:
            for rel, name in expected.items():
                if name == cm["name"] and "/" not in rel:
                    placed[rel] = (name, rel)
    for rel, name in sorted(expected.items()):
        want = (name, os.path.basename(rel))
        if placed.get(rel) != want:
            fail(f"rules/{rel}: the Deployment's rules volume lacks `{{key: {want[1]}, path: {rel}}}` under {name}")
    for rel in sorted(set(placed) - set(expected)):
        fail(f"the Deployment's rules volume maps {rel}, which is not a rules file")

    # 4. drain and probes
    (c,) = [c for c in pod["containers"] if c["name"] == "khabar"]
    env = {e["name"]: e.get("value") for e in c.get("env", [])}
    drain = int(env.get("KHABAR_DRAIN_TIMEOUT", "30"))
    pre_stop = c.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
    grace = pod.get("terminationGracePeriodSeconds", 30)
    if grace <= pre_stop + drain:
        fail(f"terminationGracePeriodSeconds {grace} must exceed preStop {pre_stop} s + drain {drain} s")
    else:
        print(f"check_deploy: grace {grace} s > preStop {pre_stop} s + drain timeout {drain} s")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        if "grpc" not in c.get(probe, {}):
            fail(f"{probe} is not a gRPC probe")
    if c.get("readinessProbe", {}).get("grpc", {}).get("service") != "khabar.v1.Classifier":
        fail("readinessProbe must check the service khabar.v1.Classifier")
    if env.get("KHABAR_ADDR", "").split(":")[0] != "0.0.0.0":
        fail("KHABAR_ADDR must listen on 0.0.0.0 in a pod")
    if env.get("KHABAR_WATCH") != "true" or env.get("KHABAR_RULES") != "/rules":
        fail("the rules ConfigMaps need KHABAR_RULES=/rules and KHABAR_WATCH=true")

    if errors:
        print(f"check_deploy: {len(errors)} problem(s)", file=sys.stderr)
        sys.exit(1)
    print("check_deploy: OK")


if __name__ == "__main__":
    main()
