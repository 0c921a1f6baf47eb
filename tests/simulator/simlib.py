"""Shared parts of the control-plane simulator (kubeadm and kubelet doubles): an API client that
authenticates the way kubeadm and the kubelet do (kubeconfig client certificate, bootstrap token,
or anonymous without trusting the server yet), kubeconfig files in kubeadm's layout, the node's
address as the kubelet picks it, and the release the packages were built for.

Test equipment: installed on lab hosts by the kubeadm/kubelet .deb packages of the test bundle.
"""

import base64
import json
import os
import re
import socket
import ssl
import tempfile
import urllib.error
import urllib.request

import yaml

HERE = os.path.dirname(os.path.realpath(__file__))
KUBELET_CLIENT = "kubernetes.io/kube-apiserver-client-kubelet"
KUBELET_SERVING = "kubernetes.io/kubelet-serving"


class Fail(Exception):
    """An error kubeadm prints before exiting 1."""


def release():
    """The Kubernetes release this package was built for (``1.36.4``); KUBEADM_SIM_VERSION wins."""
    if os.environ.get("KUBEADM_SIM_VERSION"):
        return os.environ["KUBEADM_SIM_VERSION"].lstrip("v")
    path = os.path.join(HERE, "VERSION")
    if os.path.exists(path):
        with open(path, encoding="ascii") as handle:
            return handle.read().strip()
    return "1.36.0"


def minor(version=None):
    match = re.match(r"v?1\.(\d+)", version or release())
    return int(match.group(1)) if match else 36


def csr_api(version=None):
    """The CertificateSigningRequest path and apiVersion of a release: certificates.k8s.io/v1 from
    1.19, v1beta1 before (where spec.signerName exists only from 1.18)."""
    api = "certificates.k8s.io/v1" if minor(version) >= 19 else "certificates.k8s.io/v1beta1"
    return "/apis/%s/certificatesigningrequests" % api, api


def csr_spec(request_pem, signer, usages, version=None):
    """A kubelet's CSR spec for its release: before 1.19 the kubelet asked for key encipherment
    whatever its key, and before 1.18 it named no signer."""
    if minor(version) < 19:
        order = ["digital signature", "key encipherment", "server auth", "client auth"]
        usages = sorted(set(usages) | {"key encipherment"}, key=order.index)
    spec = {"request": base64.b64encode(request_pem).decode(), "usages": list(usages)}
    if minor(version) >= 18:
        spec["signerName"] = signer
    return spec


def write_private(path, data, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(fd, "wb") as handle:
        handle.write(data if isinstance(data, bytes) else data.encode())
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def kubeconfig(server, ca_pem, user, cert_pem=None, key_pem=None, token=None, cluster="kubernetes"):
    """A kubeconfig as kubeadm writes one (YAML, data embedded, context ``<user>@<cluster>``)."""
    entry = {}
    if token:
        entry["token"] = token
    if cert_pem:
        entry["client-certificate-data"] = base64.b64encode(cert_pem).decode()
        entry["client-key-data"] = base64.b64encode(key_pem).decode()
    config = {"apiVersion": "v1", "kind": "Config", "clusters": [{"name": cluster, "cluster": {
        "certificate-authority-data": base64.b64encode(ca_pem).decode(), "server": server}}],
        "contexts": [{"name": "%s@%s" % (user, cluster), "context": {"cluster": cluster, "user": user}}],
        "current-context": "%s@%s" % (user, cluster), "preferences": {}, "users": [{"name": user, "user": entry}]}
    return yaml.safe_dump(config, default_flow_style=False)


def load_kubeconfig(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class API:
    """Minimal JSON client. ``insecure`` skips server verification (kubeadm's cluster-info fetch)."""

    def __init__(self, server, ca_pem=None, cert_pem=None, key_pem=None, token=None, insecure=False, timeout=10):
        self.server = server.rstrip("/")
        self.ca_pem = ca_pem
        self.timeout = timeout
        if insecure:
            self.ssl = ssl.create_default_context()
            self.ssl.check_hostname = False
            self.ssl.verify_mode = ssl.CERT_NONE
        else:
            self.ssl = ssl.create_default_context(cadata=ca_pem.decode())
        self.headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = "Bearer " + token
        if cert_pem:
            tmp = tempfile.mkdtemp()
            cert, key = os.path.join(tmp, "c"), os.path.join(tmp, "k")
            write_private(cert, cert_pem)
            write_private(key, key_pem)
            self.ssl.load_cert_chain(cert, key)
            os.unlink(cert)
            os.unlink(key)
            os.rmdir(tmp)

    @classmethod
    def from_kubeconfig(cls, path):
        try:
            config = load_kubeconfig(path)
        except OSError as exc:
            raise Fail("failed to load admin kubeconfig: open %s: %s" % (path, exc.strerror.lower()))
        ctx = {c["name"]: c["context"] for c in config["contexts"]}[config["current-context"]]
        cluster = {c["name"]: c["cluster"] for c in config["clusters"]}[ctx["cluster"]]
        user = {u["name"]: u["user"] for u in config["users"]}[ctx["user"]]
        cert = key = None
        if user.get("client-certificate-data"):
            cert = base64.b64decode(user["client-certificate-data"])
            key = base64.b64decode(user["client-key-data"])
        return cls(cluster["server"], base64.b64decode(cluster["certificate-authority-data"]), cert, key,
                   token=user.get("token"))

    def call(self, method, path, body=None, content_type=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = dict(self.headers)
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.server + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, context=self.ssl, timeout=self.timeout) as resp:
                raw = resp.read()
                return json.loads(raw) if raw[:1] in (b"{", b"[") else raw.decode()
        except urllib.error.HTTPError as exc:
            raw = exc.read() or b"{}"
            try:
                status = json.loads(raw)
            except ValueError:
                status = {"message": raw.decode(errors="replace")}
            error = Fail(status.get("message") or str(exc))
            error.code = exc.code
            raise error
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            error = Fail('Get "%s%s": %s' % (self.server, path, reason))
            error.code = 0
            raise error


def node_ip(towards=None):
    """The address the kubelet reports: the source address of the default route (towards the API
    server when known)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect((towards or "10.255.255.255", 6443))
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def node_name():
    return socket.gethostname().lower()
