"""A small Kubernetes API emulator for tests: real HTTPS, real JSON objects, real clients.

It serves the resources the collection touches (Namespaces, Nodes, Secrets, ConfigMaps and
CertificateSigningRequests with their ``approval``/``status`` subresources) the way the API
server does where a client can tell: discovery documents, ``<Kind>List`` lists, metadata
defaulting (uid, resourceVersion, creationTimestamp, generateName), ``Status`` errors with the
real reasons and codes, optimistic concurrency (409 on a stale resourceVersion), merge and JSON
patches, authentication by client certificate, static bearer token or bootstrap token, and the
kubelet-serving signer (an approved CSR is signed with the cluster CA, or marked Failed when the
request breaks the signer's rules).

With ``controllers``: the csrapprover, and the workload, scheduler and PV controllers of
controllers.py. Deliberately absent: authorization, admission, watch. See tests/README.md.

Use in-process (``Emulator(...).start()``) or as a service: ``python -m tests.emulator --help``.
"""

import base64
import copy
import datetime
import hashlib
import hmac
import ipaddress
import json
import os
import ssl
import tempfile
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.x509.oid import NameOID

from . import pki, satokens
from .controllers import Controllers

SERVER_VERSION = {"major": "1", "minor": "36", "gitVersion": "v1.36.4", "platform": "linux/amd64"}


class Resource:
    def __init__(self, group, version, plural, kind, namespaced, subresources=(), short=()):
        self.group, self.version, self.plural, self.kind = group, version, plural, kind
        self.namespaced, self.subresources, self.short = namespaced, tuple(subresources), tuple(short)

    @property
    def api_version(self):
        return "%s/%s" % (self.group, self.version) if self.group else self.version

    @property
    def qualified(self):
        return "%s.%s" % (self.plural, self.group) if self.group else self.plural


RESOURCES = [
    Resource("", "v1", "namespaces", "Namespace", False, ("status",), ("ns",)),
    Resource("", "v1", "nodes", "Node", False, ("status",), ("no",)),
    Resource("", "v1", "secrets", "Secret", True),
    Resource("", "v1", "configmaps", "ConfigMap", True, (), ("cm",)),
    # What the add-ons' manifests create (served with no controller behind them unless said so).
    Resource("", "v1", "services", "Service", True, ("status",), ("svc",)),
    Resource("", "v1", "serviceaccounts", "ServiceAccount", True, ("token",), ("sa",)),
    Resource("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", False),
    Resource("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", False),
    Resource("", "v1", "pods", "Pod", True, ("status", "eviction"), ("po",)),
    Resource("", "v1", "persistentvolumes", "PersistentVolume", False, ("status",), ("pv",)),
    Resource("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", True, ("status",), ("pvc",)),
    Resource("", "v1", "endpoints", "Endpoints", True, (), ("ep",)),
    Resource("", "v1", "limitranges", "LimitRange", True, (), ("limits",)),
    Resource("apps", "v1", "deployments", "Deployment", True, ("status", "scale"), ("deploy",)),
    Resource("apps", "v1", "daemonsets", "DaemonSet", True, ("status",), ("ds",)),
    Resource("apps", "v1", "statefulsets", "StatefulSet", True, ("status", "scale"), ("sts",)),
    Resource("apps", "v1", "replicasets", "ReplicaSet", True, ("status", "scale"), ("rs",)),
    Resource("batch", "v1", "jobs", "Job", True, ("status",)),
    Resource("batch", "v1", "cronjobs", "CronJob", True, ("status",), ("cj",)),
    Resource("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", False),
    Resource("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", False),
    Resource("rbac.authorization.k8s.io", "v1", "roles", "Role", True),
    Resource("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", True),
    Resource("networking.k8s.io", "v1", "ingresses", "Ingress", True, ("status",), ("ing",)),
    Resource("networking.k8s.io", "v1", "ingressclasses", "IngressClass", False),
    Resource("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", True, (), ("netpol",)),
    Resource("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", True, ("status",), ("pdb",)),
    Resource("storage.k8s.io", "v1", "storageclasses", "StorageClass", False, (), ("sc",)),
    Resource("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", True, ("status",), ("hpa",)),
    Resource("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", True, ("status",), ("hpa",)),
    Resource("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", False),
    Resource("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", False),
    Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", False,
             ("status",), ("crd",)),
    Resource("apiregistration.k8s.io", "v1", "apiservices", "APIService", False, ("status",)),
]


# Served only by releases before 1.22, which stopped serving them (1.16 to 1.21 serve both
# apiextensions versions; an object is kept as it was written, not converted).
RESOURCES_BEFORE_1_22 = [
    # certificates.k8s.io/v1beta1: no spec.signerName before 1.18 (the field did not exist), then
    # defaulted from the request's content; no longer served from 1.22
    Resource("certificates.k8s.io", "v1beta1", "certificatesigningrequests", "CertificateSigningRequest", False,
             ("approval", "status"), ("csr",)),
    Resource("apiextensions.k8s.io", "v1beta1", "customresourcedefinitions", "CustomResourceDefinition", False,
             ("status",), ("crd",)),
    Resource("networking.k8s.io", "v1beta1", "ingresses", "Ingress", True, ("status",), ("ing",)),
]
# Served only by releases before 1.25 (batch/v1beta1 CronJob; batch/v1 from 1.21).
RESOURCES_BEFORE_1_25 = [
    Resource("batch", "v1beta1", "cronjobs", "CronJob", True, ("status",), ("cj",)),
]

# Served from 1.19 (certificates.k8s.io/v1 went GA in 1.19).
RESOURCES_FROM_1_19 = [
    Resource("certificates.k8s.io", "v1", "certificatesigningrequests", "CertificateSigningRequest", False,
             ("approval", "status"), ("csr",)),
]
BUILT_IN = RESOURCES + RESOURCES_BEFORE_1_22 + RESOURCES_BEFORE_1_25 + RESOURCES_FROM_1_19


class Registry:
    """The resources one emulator serves: the built-in ones (for the release's ``minor``), plus
    those its CRDs define."""

    def __init__(self, minor=36):
        self.resources = (list(RESOURCES) + (list(RESOURCES_FROM_1_19) if int(minor) >= 19 else [])
                          + (list(RESOURCES_BEFORE_1_22) if int(minor) < 22 else [])
                          + (list(RESOURCES_BEFORE_1_25) if int(minor) < 25 else []))

    def by_path(self, group, version, plural):
        return next((r for r in self.resources if (r.group, r.version, r.plural) == (group, version, plural)), None)

    def by_group_plural(self, group, plural):
        return next((r for r in self.resources if (r.group, r.plural) == (group, plural)), None)

    def for_object(self, obj):
        group, _sep, version = obj["apiVersion"].rpartition("/")
        found = next((r for r in self.resources if r.group == group and r.version == version and r.kind == obj["kind"]), None)
        if found is None:
            raise APIError(404, "NotFound", 'no matches for kind "%s" in version "%s"' % (obj["kind"], obj["apiVersion"]))
        return found

    def define(self, crd):
        """Serve what a CustomResourceDefinition defines (every served version)."""
        spec = crd.get("spec") or {}
        names = spec.get("names") or {}
        self.undefine(spec.get("group"), names.get("plural"))
        # apiextensions v1beta1 may name one version (spec.version) and give the subresources
        # for all versions (spec.subresources)
        versions = spec.get("versions") or ([{"name": spec["version"], "served": True, "storage": True}]
                                            if spec.get("version") else [])
        for version in versions:
            if version.get("served", True):
                subresources = sorted((version.get("subresources") or spec.get("subresources") or {}).keys())
                self.resources.append(Resource(spec["group"], version["name"], names["plural"], names["kind"],
                                               spec.get("scope", "Namespaced") == "Namespaced", subresources,
                                               names.get("shortNames") or ()))

    def undefine(self, group, plural):
        self.resources = [r for r in self.resources if (r.group, r.plural) != (group, plural) or r in BUILT_IN]


KUBELET_SERVING = "kubernetes.io/kubelet-serving"
KUBELET_CLIENT = "kubernetes.io/kube-apiserver-client-kubelet"
LEGACY_UNKNOWN = "kubernetes.io/legacy-unknown"
SERVING_USAGES = (frozenset(["digital signature", "server auth"]),
                  frozenset(["key encipherment", "digital signature", "server auth"]))


class APIError(Exception):
    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def status(self):
        body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": self.message, "reason": self.reason, "code": self.code}
        if self.details:
            body["details"] = self.details
        return body


def not_found(res, name):
    return APIError(404, "NotFound", '%s "%s" not found' % (res.qualified, name),
                    {"name": name, "group": res.group, "kind": res.plural})


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch (strategic merge patches are applied the same way here)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def json_patch(target, ops):
    doc = copy.deepcopy(target)
    for op in ops:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].lstrip("/").split("/")]
        parent = doc
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent.setdefault(part, {})
        last = parts[-1]
        if op["op"] in ("add", "replace"):
            if isinstance(parent, list):
                idx = len(parent) if last == "-" else int(last)
                if op["op"] == "add":
                    parent.insert(idx, op["value"])
                else:
                    parent[idx] = op["value"]
            else:
                parent[last] = op["value"]
        elif op["op"] == "remove":
            if isinstance(parent, list):
                del parent[int(last)]
            else:
                parent.pop(last, None)
        elif op["op"] == "test":
            current = parent[int(last)] if isinstance(parent, list) else parent.get(last)
            if current != op["value"]:
                raise APIError(422, "Invalid", "the test operation on %s failed" % op["path"])
        else:
            raise APIError(400, "BadRequest", "unsupported JSON patch operation %r" % op["op"])
    return doc


class Store:
    """Objects by (resource, namespace, name), a resourceVersion counter, optional JSON snapshot."""

    def __init__(self, registry, state_file=None):
        self.lock = threading.RLock()
        self.objects = {}
        self.rv = 0
        self.registry = registry
        self.state_file = state_file
        if state_file and os.path.exists(state_file):
            with open(state_file, encoding="utf-8") as handle:
                snap = json.load(handle)
            self.rv = snap["rv"]
            entries = snap["objects"]
            for entry in entries:  # CRDs first: they define what the other entries may be
                if entry["resource"][0] == "apiextensions.k8s.io" and entry["resource"][2] == "customresourcedefinitions":
                    registry.define(entry["object"])
            for entry in entries:
                group, _version, plural = entry["resource"]
                res = registry.by_group_plural(group, plural)
                self.objects[(res.plural, res.group, entry["namespace"], entry["name"])] = entry["object"]

    def save(self):
        if not self.state_file:
            return
        snap = {"rv": self.rv, "objects": [
            {"resource": [g, self.registry.by_group_plural(g, p).version, p], "namespace": ns, "name": n, "object": o}
            for (p, g, ns, n), o in sorted(self.objects.items(), key=lambda kv: str(kv[0]))
            if self.registry.by_group_plural(g, p)]}
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.state_file) or ".")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(snap, handle)
        os.replace(tmp, self.state_file)

    def next_rv(self):
        self.rv += 1
        return str(self.rv)


class Emulator:
    """The emulated API server. ``ca_key``/``ca_cert`` sign serving and client certificates."""

    def __init__(self, host="127.0.0.1", port=0, ca_key=None, ca_cert=None, server_names=("localhost",),
                 tokens=None, state_file=None, tls=True, serving_seconds=365 * 86400, serving_files=None,
                 version=None, controllers=False, sa_key=None, sa_issuer=None, cluster_cidr=None):
        if ca_key is None:
            ca_key, ca_cert = pki.make_ca("kubernetes", "rsa2048")
        self.ca_key, self.ca_cert = ca_key, ca_cert
        self.host = host
        self.tokens = dict(tokens or {})  # bearer token -> (user, [groups])
        self.sa_key = sa_key  # private key service-account tokens are signed with (kubeadm's sa.key)
        self.sa_issuer = sa_issuer or satokens.DEFAULT_ISSUER
        # kube-controller-manager's --cluster-cidr (with --allocate-node-cidrs): Nodes get a /24 of it
        self.cluster_cidr = cluster_cidr
        self.version = dict(SERVER_VERSION)
        if version:
            minor = version.lstrip("v").split(".")[1]
            self.version.update(minor=minor, gitVersion="v" + version.lstrip("v"))
        self.registry = Registry(self.version["minor"])
        self.store = Store(self.registry, state_file)
        self.serving_seconds = serving_seconds
        self.controllers = controllers  # csrapprover; workload, scheduler and PV controllers (controllers.py)
        self._workload_controllers = None
        self.requests = []  # (method, path, user) for assertions in tests
        self._dir = tempfile.mkdtemp(prefix="hk-emulator-")
        self.ca_file = self._write("ca.crt", pki.cert_pem(ca_cert))
        if serving_files:
            self.server_cert_file, self.server_key_file = serving_files
        else:
            ips = [h for h in set(server_names) | {host} if _is_ip(h)]
            dns = [h for h in set(server_names) if not _is_ip(h)]
            _key, cert = pki.issue(ca_key, ca_cert, "kube-apiserver", (), dns, ips, server=True)
            self.server_cert_file = self._write("apiserver.crt", pki.cert_pem(cert))
            self.server_key_file = self._write("apiserver.key", pki.key_pem(_key))
        handler = type("BoundHandler", (Handler,), {"emulator": self})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(self.server_cert_file, self.server_key_file)
            ctx.load_verify_locations(self.ca_file)
            ctx.verify_mode = ssl.CERT_OPTIONAL
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.url = "%s://%s:%d" % ("https" if tls else "http", _url_host(host), self.port)
        self._thread = None

    def _write(self, name, data):
        path = os.path.join(self._dir, name)
        with open(path, "wb") as handle:
            handle.write(data)
        os.chmod(path, 0o600)
        return path

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self):
        self._start_controllers()
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        self._start_controllers()
        self.httpd.serve_forever()

    def _start_controllers(self):
        if self.controllers and self._workload_controllers is None:
            self._workload_controllers = Controllers(self).start()

    def stop(self):
        if self._workload_controllers:
            self._workload_controllers.stop()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- helpers for tests and simulators -------------------------------------------------------
    def client_cert(self, user, groups=()):
        """PEM (cert, key) of a client certificate for ``user`` in ``groups`` signed by the CA."""
        key, cert = pki.issue(self.ca_key, self.ca_cert, user, groups, server=False, client=True)
        return pki.cert_pem(cert), pki.key_pem(key)

    def kubeconfig(self, user="kubernetes-admin", groups=("kubeadm:cluster-admins",), path=None, token=None):
        """Write a kubeconfig in the form kubeadm writes admin.conf; returns its path."""
        user_entry = {}
        if token:
            user_entry["token"] = token
        else:
            cert, key = self.client_cert(user, groups)
            user_entry["client-certificate-data"] = base64.b64encode(cert).decode()
            user_entry["client-key-data"] = base64.b64encode(key).decode()
        config = {
            "apiVersion": "v1", "kind": "Config", "preferences": {},
            "clusters": [{"name": "kubernetes", "cluster": {
                "certificate-authority-data": base64.b64encode(pki.cert_pem(self.ca_cert)).decode(),
                "server": self.url}}],
            "contexts": [{"name": "%s@kubernetes" % user, "context": {"cluster": "kubernetes", "user": user}}],
            "current-context": "%s@kubernetes" % user,
            "users": [{"name": user, "user": user_entry}],
        }
        path = path or os.path.join(self._dir, "%s.conf" % user.replace(":", "_"))
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(config, handle, indent=2)
        os.chmod(path, 0o600)
        return path

    def put_object(self, obj, user="system:admin", groups=("system:masters",)):
        """Create an object directly (as the API would, with metadata defaulting)."""
        res = self.registry.for_object(obj)
        ns = obj["metadata"].get("namespace") if res.namespaced else None
        return self.create(res, ns, copy.deepcopy(obj), (user, list(groups)))

    def get_object(self, plural, name, namespace=None, group=None):
        res = next(r for r in self.registry.resources if r.plural == plural and (group is None or r.group == group))
        with self.store.lock:
            obj = self.store.objects.get((res.plural, res.group, namespace, name))
            return copy.deepcopy(obj)

    def list_objects(self, plural, namespace=None):
        res = next(r for r in self.registry.resources if r.plural == plural)
        with self.store.lock:
            return [copy.deepcopy(o) for (p, g, ns, _n), o in sorted(self.store.objects.items(), key=lambda kv: str(kv[0]))
                    if p == res.plural and g == res.group and (namespace is None or ns == namespace)]

    # -- the API ------------------------------------------------------------------------------
    def authenticate(self, handler):
        auth = handler.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth[len("Bearer "):].strip()
            if token in self.tokens:
                user, groups = self.tokens[token]
                return user, list(groups) + ["system:authenticated"]
            boot = self._bootstrap_identity(token) or self._service_account_identity(token)
            if boot:
                return boot
            raise APIError(401, "Unauthorized", "Unauthorized")
        cert = handler.connection.getpeercert() if hasattr(handler.connection, "getpeercert") else None
        if cert:
            subject = [attr for rdn in cert.get("subject", ()) for attr in rdn]
            cn = [v for k, v in subject if k == "commonName"]
            orgs = [v for k, v in subject if k == "organizationName"]
            return cn[0] if cn else "", orgs + ["system:authenticated"]
        return "system:anonymous", ["system:unauthenticated"]

    def sign_cluster_info(self, obj):
        """kube-controller-manager's bootstrapsigner: one ``jws-kubeconfig-<token-id>`` entry (a
        detached HS256 JWS of the ``kubeconfig`` value keyed by the token secret) per bootstrap
        token that is usable for signing and not expired."""
        data = dict((obj.get("data") or {}))
        data = {k: v for k, v in data.items() if not k.startswith("jws-kubeconfig-")}
        content = data.get("kubeconfig", "")
        with self.store.lock:
            secrets_ = [o for (p, _g, ns, _n), o in self.store.objects.items() if p == "secrets" and ns == "kube-system"]
        for secret in secrets_:
            if secret.get("type") != "bootstrap.kubernetes.io/token":
                continue
            fields = {k: base64.b64decode(v).decode() for k, v in (secret.get("data") or {}).items()}
            if fields.get("usage-bootstrap-signing") != "true" or not fields.get("token-id"):
                continue
            if fields.get("expiration") and fields["expiration"] <= now_rfc3339():
                continue
            data["jws-kubeconfig-%s" % fields["token-id"]] = detached_jws(content, fields["token-id"], fields["token-secret"])
        obj["data"] = data
        return obj

    def _bootstrap_identity(self, token):
        parts = token.split(".")
        if len(parts) != 2:
            return None
        secret = self.store.objects.get(("secrets", "", "kube-system", "bootstrap-token-%s" % parts[0]))
        if not secret or secret.get("type") != "bootstrap.kubernetes.io/token":
            return None
        data = {k: base64.b64decode(v).decode() for k, v in (secret.get("data") or {}).items()}
        if data.get("token-secret") != parts[1] or data.get("usage-bootstrap-authentication") != "true":
            return None
        if data.get("expiration") and data["expiration"] <= now_rfc3339():
            return None
        extra = [g for g in data.get("auth-extra-groups", "").split(",") if g]
        return "system:bootstrap:%s" % parts[0], ["system:bootstrappers"] + extra + ["system:authenticated"]

    def _service_account_identity(self, token):
        """A service-account token signed with the cluster's key, not expired, whose
        ServiceAccount (same uid) and, for a legacy token, Secret still exist."""
        if self.sa_key is None:
            return None
        claims = satokens.verified_claims(self.sa_key.public_key(), token)
        if not claims:
            return None
        namespace, name = satokens.claims_subject(claims)
        sa = self.store.objects.get(("serviceaccounts", "", namespace, name))
        if not sa or sa["metadata"].get("uid") != satokens.claims_uid(claims):
            return None
        if claims.get("iss") == satokens.LEGACY_ISSUER:
            secret = self.store.objects.get(("secrets", "", namespace, claims.get("kubernetes.io/serviceaccount/secret.name")))
            if not secret or base64.b64decode((secret.get("data") or {}).get("token", "")).decode() != token:
                return None
        elif claims.get("iss") != self.sa_issuer or claims.get("exp", 0) <= datetime.datetime.now(datetime.timezone.utc).timestamp():
            return None
        return satokens.identity(claims)

    def token_review(self, body):
        """``POST /apis/authentication.k8s.io/v1/tokenreviews``: who a token authenticates as (the
        authenticators of ``authenticate``), or ``authenticated: false`` with the error."""
        token = ((body or {}).get("spec") or {}).get("token") or ""
        found = None
        if token in self.tokens:
            user, groups = self.tokens[token]
            found = user, list(groups) + ["system:authenticated"]
        found = found or self._bootstrap_identity(token) or self._service_account_identity(token)
        status = {"authenticated": True, "user": {"username": found[0], "groups": list(found[1])}} if found else \
            {"user": {}, "error": "[invalid bearer token, token lookup failed]"}
        return {"kind": "TokenReview", "apiVersion": "authentication.k8s.io/v1",
                "metadata": {"creationTimestamp": None}, "spec": {"token": token}, "status": status}

    def token_request(self, ns, name, body):
        """``POST /api/v1/namespaces/NS/serviceaccounts/NAME/token``: a bound token."""
        if self.sa_key is None:
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        sa = self.get_object("serviceaccounts", name, ns)
        if sa is None:
            raise APIError(404, "NotFound", 'serviceaccounts "%s" not found' % name,
                           {"name": name, "kind": "serviceaccounts"})
        spec = dict((body or {}).get("spec") or {})
        seconds = int(spec.get("expirationSeconds") or 3600)
        if seconds < 600:
            raise APIError(422, "Invalid", 'TokenRequest.authentication.k8s.io "%s" is invalid: spec.expirationSeconds: '
                           'Invalid value: %d: may not specify a duration less than 10 minutes' % (name, seconds))
        claims = satokens.bound_claims(self.sa_issuer, spec.get("audiences") or [], ns, name, sa["metadata"]["uid"], seconds)
        spec.update(expirationSeconds=seconds, audiences=claims["aud"], boundObjectRef=spec.get("boundObjectRef"))
        expires = datetime.datetime.fromtimestamp(claims["exp"], datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                "metadata": {"name": name, "namespace": ns, "creationTimestamp": None},
                "spec": spec, "status": {"token": satokens.sign(self.sa_key, claims), "expirationTimestamp": expires}}

    def populate_token_secret(self, secret):
        """The token controller's part: fill a service-account-token Secret for its
        ServiceAccount -> the updated Secret, or None when the ServiceAccount is missing."""
        meta = secret["metadata"]
        annotations = meta.get("annotations") or {}
        sa = self.get_object("serviceaccounts", annotations.get("kubernetes.io/service-account.name", ""), meta["namespace"])
        if sa is None or self.sa_key is None:
            return None
        claims = satokens.legacy_claims(meta["namespace"], sa["metadata"]["name"], sa["metadata"]["uid"], meta["name"])
        data = dict(secret.get("data") or {})
        data.update(token=base64.b64encode(satokens.sign(self.sa_key, claims).encode()).decode(),
                    namespace=base64.b64encode(meta["namespace"].encode()).decode(),
                    **{"ca.crt": base64.b64encode(pki.cert_pem(self.ca_cert)).decode()})
        meta["annotations"] = dict(annotations, **{"kubernetes.io/service-account.uid": sa["metadata"]["uid"]})
        secret["data"] = data
        return secret

    def create(self, res, ns, obj, identity, manager=None):
        with self.store.lock:
            meta = obj.setdefault("metadata", {})
            if not meta.get("name"):
                if meta.get("generateName"):
                    meta["name"] = meta["generateName"] + uuid.uuid4().hex[:5]
                else:
                    raise APIError(422, "Invalid", "%s in version \"%s\" cannot be handled as a %s: name or generateName is required"
                                   % (res.kind, res.version, res.kind))
            if res.namespaced:
                if not ns:
                    raise APIError(400, "BadRequest", "the namespace of the object is required")
                meta["namespace"] = ns
                if ns not in ("default", "kube-system", "kube-public", "kube-node-lease") and \
                        ("namespaces", "", None, ns) not in self.store.objects:
                    raise APIError(404, "NotFound", 'namespaces "%s" not found' % ns,
                                   {"name": ns, "kind": "namespaces"})
            key = (res.plural, res.group, ns if res.namespaced else None, meta["name"])
            if key in self.store.objects:
                raise APIError(409, "AlreadyExists", '%s "%s" already exists' % (res.qualified, meta["name"]),
                               {"name": meta["name"], "group": res.group, "kind": res.plural})
            obj["apiVersion"], obj["kind"] = res.api_version, res.kind
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = now_rfc3339()
            meta["resourceVersion"] = self.store.next_rv()
            meta.pop("generation", None)
            if res.kind in GENERATION_KINDS or res not in BUILT_IN:
                meta["generation"] = 1
            if manager and not meta.get("managedFields"):
                meta["managedFields"] = [_managed_entry(manager, "Update", res, _leaves(obj))]
            if res.kind == "Secret":
                for k, v in (obj.pop("stringData", None) or {}).items():
                    obj.setdefault("data", {})[k] = base64.b64encode(v.encode()).decode()
                obj.setdefault("type", "Opaque")
            if res.kind == "Namespace":
                obj["status"] = {"phase": "Active"}
            if res.kind == "CertificateSigningRequest":
                self._admit_csr(res, obj, identity)
                if self.controllers and self._auto_approvable(obj, self._signer(obj["spec"])):
                    obj["status"]["conditions"] = [{
                        "type": "Approved", "status": "True", "reason": "AutoApproved",
                        "message": "Auto approving kubelet client certificate after SubjectAccessReview.",
                        "lastUpdateTime": now_rfc3339(), "lastTransitionTime": now_rfc3339()}]
                    if int(self.version["minor"]) < 19:  # no status or lastTransitionTime yet
                        obj["status"]["conditions"][0] = {k: v for k, v in obj["status"]["conditions"][0].items()
                                                          if k not in ("status", "lastTransitionTime")}
                    self._sign(obj)
            if res.kind == "CustomResourceDefinition":
                self._establish(obj)
            _default(obj)
            self.store.objects[key] = obj
            self.store.save()
            return copy.deepcopy(obj)

    def _establish(self, crd):
        """What the apiextensions controllers do at once here: names accepted, the CRD
        Established, its resources served."""
        spec = crd.get("spec") or {}
        names = spec.get("names") or {}
        versions = spec.get("versions") or ([{"name": spec["version"], "storage": True}] if spec.get("version") else [])
        # a condition keeps its lastTransitionTime while its status stays (an update of an
        # Established CRD is no transition)
        held = {c.get("type"): c.get("lastTransitionTime") for c in (crd.get("status") or {}).get("conditions") or []
                if c.get("status") == "True"}
        stamp = now_rfc3339()
        crd["status"] = {
            "acceptedNames": dict(names),
            "storedVersions": [v["name"] for v in versions if v.get("storage")] or [v["name"] for v in versions[:1]],
            "conditions": [
                {"type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                 "message": "no conflicts found", "lastTransitionTime": held.get("NamesAccepted") or stamp},
                {"type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted", "lastTransitionTime": held.get("Established") or stamp}]}
        self.registry.define(crd)

    def _admit_csr(self, res, obj, identity):
        spec = obj.setdefault("spec", {})
        name = obj["metadata"]["name"]
        if res.version == "v1beta1":
            # v1beta1: usages default to [digital signature, key encipherment]; spec.signerName does
            # not exist before 1.18 (dropped like any unknown field) and is defaulted from the
            # request's content from 1.18
            if not spec.get("usages"):
                spec["usages"] = ["digital signature", "key encipherment"]
            if int(self.version["minor"]) < 18:
                spec.pop("signerName", None)
        elif not spec.get("signerName"):
            raise APIError(422, "Invalid", 'CertificateSigningRequest.certificates.k8s.io "%s" is invalid: '
                           'spec.signerName: Required value' % name)
        if not spec.get("usages"):
            raise APIError(422, "Invalid", 'CertificateSigningRequest.certificates.k8s.io "%s" is invalid: '
                           'spec.usages: Required value' % name)
        try:
            x509.load_pem_x509_csr(base64.b64decode(spec.get("request", "")))
        except ValueError:
            raise APIError(422, "Invalid", 'CertificateSigningRequest.certificates.k8s.io "%s" is invalid: '
                           'spec.request: Invalid value: []byte{...}: PEM block type must be CERTIFICATE REQUEST'
                           % name)
        if res.version == "v1beta1" and int(self.version["minor"]) >= 18 and not spec.get("signerName"):
            spec["signerName"] = default_signer(spec)
        if spec.get("expirationSeconds") is not None and int(spec["expirationSeconds"]) < 600:
            raise APIError(422, "Invalid", "spec.expirationSeconds: Invalid value: may not specify a duration less than 600 seconds (10 minutes)")
        # The API server records who asked; whatever the client put there is overwritten.
        spec["username"], spec["groups"] = identity[0], identity[1]
        spec["uid"] = str(uuid.uuid5(uuid.NAMESPACE_OID, identity[0]))
        obj["status"] = {}

    def _signer(self, spec):
        """The signer a CSR is for: its signerName, or before 1.18 (no such field, and
        kube-controller-manager's csrsigning signed every approved request with the cluster CA)
        what its content makes it."""
        return spec.get("signerName") or default_signer(spec)

    @staticmethod
    def _auto_approvable(csr, signer):
        """What kube-controller-manager's csrapprover does for kubeadm's ClusterRoleBindings
        (kubeadm:node-autoapprove-bootstrap): a bootstrapper (or a node renewing) asking for a
        kubelet client certificate whose subject is system:node:<name> / system:nodes."""
        spec = csr["spec"]
        if signer != KUBELET_CLIENT:
            return False
        request = x509.load_pem_x509_csr(base64.b64decode(spec["request"]))
        cn = [a.value for a in request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
        orgs = [a.value for a in request.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
        if len(cn) != 1 or not cn[0].startswith("system:node:") or orgs != ["system:nodes"]:
            return False
        if sorted(spec.get("usages") or []) not in (sorted(["digital signature", "client auth"]),
                                                    sorted(["digital signature", "key encipherment", "client auth"])):
            return False
        groups = spec.get("groups") or []
        return "system:bootstrappers" in groups or spec.get("username") == cn[0]

    def replace(self, res, ns, name, sub, body, manager=None):
        with self.store.lock:
            key = (res.plural, res.group, ns if res.namespaced else None, name)
            current = self.store.objects.get(key)
            if current is None:
                raise not_found(res, name)
            sent_rv = (body.get("metadata") or {}).get("resourceVersion")
            if sent_rv and sent_rv != current["metadata"]["resourceVersion"]:
                raise APIError(409, "Conflict", 'Operation cannot be fulfilled on %s "%s": the object has been modified; '
                               "please apply your changes to the latest version and try again" % (res.qualified, name),
                               {"name": name, "group": res.group, "kind": res.plural})
            if sub and sub not in res.subresources:
                raise APIError(404, "NotFound", "the server could not find the requested resource")
            updated = copy.deepcopy(current)
            if sub == "approval":
                updated = self._approve(current, (body.get("status") or {}).get("conditions") or [])
            elif sub == "status":
                updated["status"] = body.get("status") or {}
            else:
                updated = copy.deepcopy(body)
                updated["metadata"] = dict(current["metadata"], **{
                    k: v for k, v in (body.get("metadata") or {}).items()
                    if k in ("labels", "annotations", "finalizers", "ownerReferences", "managedFields")})
                updated["apiVersion"], updated["kind"] = res.api_version, res.kind
                if res.kind == "CertificateSigningRequest":
                    updated["spec"], updated["status"] = current["spec"], current.get("status", {})
                _default(updated)
            if updated != current:
                if "generation" in current["metadata"] and sub is None and \
                        _without(updated, ("metadata", "status")) != _without(current, ("metadata", "status")):
                    updated["metadata"]["generation"] = current["metadata"]["generation"] + 1
                if manager:
                    changed = set(p for p in _leaves(updated) if _get(updated, p) != _get(current, p))
                    _take_ownership(updated, manager, "Update", res, changed, sub)
                updated["metadata"]["resourceVersion"] = self.store.next_rv()
                if res.kind == "CustomResourceDefinition" and sub is None:
                    self._establish(updated)
                self.store.objects[key] = updated
                self.store.save()
            return copy.deepcopy(updated)

    def apply(self, res, ns, name, sub, body, manager, force, identity):
        """Server-side apply (``application/apply-patch+yaml``): create or merge ``body``, owned
        by ``manager``. Fields are owned per leaf (maps recurse; a list is one field); another
        manager's field set to another value is a 409 conflict unless ``force``; fields the
        manager applied before and no longer applies are removed when nobody else owns them; an
        apply that changes nothing keeps the resourceVersion."""
        if not manager:
            raise APIError(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
                                           "is required for apply patch")
        applied = copy.deepcopy(body)
        meta = applied.setdefault("metadata", {})
        if meta.get("name") not in (None, name):
            raise APIError(400, "BadRequest", "the name of the object (%s) does not match the name on the URL (%s)"
                           % (meta.get("name"), name))
        meta["name"] = name
        if res.namespaced:
            meta["namespace"] = ns
        if res.kind == "Secret":
            # stringData is write-only: merged into data before anything is compared or stored
            for k, v in (applied.pop("stringData", None) or {}).items():
                applied.setdefault("data", {})[k] = base64.b64encode(str(v).encode()).decode()
        paths = _leaves(applied)
        with self.store.lock:
            key = (res.plural, res.group, ns if res.namespaced else None, name)
            current = self.store.objects.get(key)
            if current is None:
                if sub:
                    raise not_found(res, name)
                applied["metadata"]["managedFields"] = [_managed_entry(manager, "Apply", res, paths)]
                return self.create(res, ns, applied, identity)
            managed = current["metadata"].get("managedFields") or []
            conflicts = []
            for entry in managed:
                if (entry.get("manager"), entry.get("operation")) == (manager, "Apply"):
                    continue
                theirs = _from_fields(entry.get("fieldsV1") or {})
                for path in sorted(paths):
                    if any(_overlap(path, other) for other in theirs) and _get(current, path) != _get(applied, path):
                        conflicts.append((entry.get("manager"), path))
            if conflicts and not force:
                raise APIError(409, "Conflict", "Apply failed with %d conflict%s: %s" % (
                    len(conflicts), "s" if len(conflicts) > 1 else "",
                    "; ".join('conflict with "%s" using %s: .%s' % (m, res.api_version, ".".join(p)) for m, p in conflicts)),
                    {"causes": [{"type": "FieldManagerConflict", "field": "." + ".".join(p),
                                 "message": 'conflict with "%s" using %s' % (m, res.api_version)} for m, p in conflicts]})
            before = next((_from_fields(e.get("fieldsV1") or {}) for e in managed
                           if (e.get("manager"), e.get("operation")) == (manager, "Apply")), set())
            others = set()
            for entry in managed:
                if (entry.get("manager"), entry.get("operation")) != (manager, "Apply"):
                    others |= _from_fields(entry.get("fieldsV1") or {})
            updated = copy.deepcopy(current)
            for path in sorted(before - paths, reverse=True):
                if not any(_overlap(path, other) for other in others):
                    _delete(updated, path)
            for path in paths:
                _set(updated, path, copy.deepcopy(_get(applied, path)))
            _take_ownership(updated, manager, "Apply", res, paths, sub, replace_own=True,
                            taken=set(path for _m, path in conflicts))
            if _without(updated, ("metadata",)) == _without(current, ("metadata",)) and \
                    _meta_core(updated) == _meta_core(current):
                return copy.deepcopy(current)
            updated["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
            return self.replace(res, ns, name, sub, updated)

    def _approve(self, current, conditions):
        old = {c["type"]: c for c in (current.get("status") or {}).get("conditions") or []}
        if int(self.version["minor"]) < 19:
            # a condition's status and lastTransitionTime came with 1.19: dropped as unknown fields
            conditions = [dict((k, v) for k, v in c.items() if k not in ("status", "lastTransitionTime"))
                          for c in conditions]
        new = {c.get("type"): c for c in conditions}
        for kind, cond in new.items():
            if kind not in ("Approved", "Denied", "Failed"):
                raise APIError(422, "Invalid", "status.conditions[].type: Unsupported value: %r" % kind)
            if int(self.version["minor"]) >= 19 and cond.get("status") not in ("True",):
                raise APIError(422, "Invalid", 'status.conditions[].status: Unsupported value: "%s": supported values: "True"'
                               % cond.get("status"))
        for kind in old:
            if kind not in new:
                raise APIError(422, "Invalid", "status.conditions: Forbidden: updates may not remove a condition of type %s" % kind)
        if "Approved" in new and "Denied" in new:
            raise APIError(422, "Invalid", "status.conditions[]: Invalid value: \"Approved\": Approved and Denied conditions are mutually exclusive")
        updated = copy.deepcopy(current)
        updated.setdefault("status", {})["conditions"] = conditions
        if "Approved" in new and "Approved" not in old and not updated["status"].get("certificate"):
            self._sign(updated)
        return updated

    def _sign(self, csr):
        """The kubelet-serving and kubelet-client signers; others are left unsigned."""
        spec = csr["spec"]
        signer = self._signer(spec)
        if signer not in (KUBELET_SERVING, KUBELET_CLIENT):
            return
        # before 1.18 there were no signers, so no signer's rules: whatever was approved was signed
        problem = signer_problem(spec) if signer == KUBELET_SERVING and spec.get("signerName") else None
        if problem:
            csr["status"]["conditions"].append({"type": "Failed", "status": "True", "reason": "SignerValidationFailure",
                                                "message": problem, "lastUpdateTime": now_rfc3339(),
                                                "lastTransitionTime": now_rfc3339()})
            return
        seconds = min(int(spec.get("expirationSeconds") or self.serving_seconds), self.serving_seconds)
        cert = pki.sign_csr(self.ca_key, self.ca_cert, base64.b64decode(spec["request"]), spec["usages"], seconds)
        csr["status"]["certificate"] = base64.b64encode(pki.cert_pem(cert)).decode()

    def patch(self, res, ns, name, sub, content_type, body, manager=None):
        with self.store.lock:
            key = (res.plural, res.group, ns if res.namespaced else None, name)
            current = self.store.objects.get(key)
            if current is None:
                raise not_found(res, name)
            if "json-patch" in content_type:
                patched = json_patch(current, body)
            elif "merge-patch" in content_type:  # strategic merge: no merge-keyed lists on these kinds
                patched = merge_patch(current, body)
            else:
                raise APIError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                               "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                               "application/strategic-merge-patch+json")
            patched["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
            return self.replace(res, ns, name, sub, patched, manager)

    def delete(self, res, ns, name):
        with self.store.lock:
            key = (res.plural, res.group, ns if res.namespaced else None, name)
            obj = self.store.objects.pop(key, None)
            if obj is None:
                raise not_found(res, name)
            if res.kind == "CustomResourceDefinition":
                spec = obj.get("spec") or {}
                plural = (spec.get("names") or {}).get("plural")
                self.registry.undefine(spec.get("group"), plural)
                for other in [k for k in self.store.objects if (k[0], k[1]) == (plural, spec.get("group"))]:
                    del self.store.objects[other]
            self.store.save()
            return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                    "details": {"name": name, "group": res.group, "kind": res.plural, "uid": obj["metadata"]["uid"]}}

    def list(self, res, ns, query):
        selector = _selector(query.get("labelSelector", [""])[0])
        fields = _selector(query.get("fieldSelector", [""])[0])
        with self.store.lock:
            items = [copy.deepcopy(o) for (p, g, ons, _n), o in sorted(self.store.objects.items(), key=lambda kv: str(kv[0]))
                     if p == res.plural and g == res.group and (not res.namespaced or ns is None or ons == ns)]
            rv = str(self.store.rv)
        supported = set(_selectable_fields({"kind": res.kind, "metadata": {"name": ""}}))
        for key, _op, _value in fields:
            if key not in supported:  # as the API server answers
                raise APIError(400, "BadRequest", 'Unable to find "%s/%s, Resource=%s" that match label selector "", field selector '
                               '"%s": field label not supported: %s' % (res.group, res.version, res.plural,
                                                                        query.get("fieldSelector", [""])[0], key))
        items = [o for o in items if _matches(o["metadata"].get("labels") or {}, selector)
                 and _matches(_selectable_fields(o), fields)]
        return {"kind": res.kind + "List", "apiVersion": res.api_version, "metadata": {"resourceVersion": rv},
                "items": items}


GENERATION_KINDS = frozenset(["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob",
                              "CustomResourceDefinition", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Ingress",
                              "NetworkPolicy", "APIService"])
# Not fields a manager owns: the identity of the object and what the server keeps.
_UNOWNED = frozenset([("apiVersion",), ("kind",), ("metadata", "name"), ("metadata", "namespace"),
                      ("metadata", "managedFields"), ("metadata", "resourceVersion"), ("metadata", "uid"),
                      ("metadata", "creationTimestamp"), ("metadata", "generation"), ("metadata", "generateName")])


def _leaves(obj, prefix=()):
    """Field paths of an object: maps recurse, lists and scalars (and empty maps) are leaves."""
    found = set()
    for key, value in (obj or {}).items():
        path = prefix + (key,)
        if path in _UNOWNED:
            continue
        if isinstance(value, dict) and value:
            found |= _leaves(value, path)
        else:
            found.add(path)
    return found


_MISSING = object()


def _get(obj, path):
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return _MISSING
        obj = obj[key]
    return obj


def _set(obj, path, value):
    for key in path[:-1]:
        if not isinstance(obj.get(key), dict):
            obj[key] = {}
        obj = obj[key]
    obj[path[-1]] = value


def _delete(obj, path):
    parents = [obj]
    for key in path[:-1]:
        obj = obj.get(key) if isinstance(obj, dict) else None
        if not isinstance(obj, dict):
            return
        parents.append(obj)
    obj.pop(path[-1], None)
    for depth in range(len(path) - 1, 0, -1):  # drop the maps the removal emptied
        if parents[depth] == {}:
            parents[depth - 1].pop(path[depth - 1], None)


def _overlap(a, b):
    return a[:len(b)] == b or b[:len(a)] == a


def _to_fields(paths):
    tree = {}
    for path in sorted(paths):
        node = tree
        for key in path:
            node = node.setdefault("f:" + key, {})
    return tree


def _from_fields(tree, prefix=()):
    found = set()
    for key, value in tree.items():
        if not key.startswith("f:"):
            continue
        path = prefix + (key[2:],)
        if value:
            found |= _from_fields(value, path)
        else:
            found.add(path)
    return found


def _managed_entry(manager, operation, res, paths, subresource=None):
    entry = {"manager": manager, "operation": operation, "apiVersion": res.api_version, "time": now_rfc3339(),
             "fieldsType": "FieldsV1", "fieldsV1": _to_fields(paths)}
    if subresource:
        entry["subresource"] = subresource
    return entry


def _take_ownership(obj, manager, operation, res, paths, subresource=None, replace_own=False, taken=None):
    """``manager`` owns ``paths`` now (all it owns, with replace_own); other managers lose
    ``taken`` (default: ``paths``; an apply takes only the fields it set to another value, the
    others are then owned by both, as in the API server)."""
    taken = paths if taken is None else taken
    managed, mine, position = [], None, None
    for entry in obj["metadata"].get("managedFields") or []:
        if (entry.get("manager"), entry.get("operation"), entry.get("subresource")) == (manager, operation, subresource):
            mine, position = entry, len(managed)
            continue
        kept = set(p for p in _from_fields(entry.get("fieldsV1") or {}) if not any(_overlap(p, q) for q in taken))
        if kept:
            managed.append(dict(entry, fieldsV1=_to_fields(kept)))
    owned = set(paths) if replace_own or mine is None else _from_fields(mine.get("fieldsV1") or {}) | set(paths)
    if position is None:
        position = len(managed)
    if mine is not None and _from_fields(mine.get("fieldsV1") or {}) == owned:
        managed.insert(position, mine)  # unchanged: keep its time and its place
    elif owned:
        managed.insert(position, _managed_entry(manager, operation, res, owned, subresource))
    obj["metadata"]["managedFields"] = managed


def _without(obj, keys):
    return dict((k, v) for k, v in obj.items() if k not in keys)


def _meta_core(obj):
    meta = obj.get("metadata") or {}
    core = dict((k, v) for k, v in meta.items() if k not in ("managedFields", "resourceVersion"))
    core["managedFields"] = [_without(e, ("time",)) for e in meta.get("managedFields") or []]
    return core


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def detached_jws(content, token_id, token_secret):
    """``<header>..<signature>``: JWS compact serialisation, HS256, payload left out."""
    header = _b64url(json.dumps({"alg": "HS256", "kid": token_id}, separators=(",", ":")).encode())
    signing_input = ("%s.%s" % (header, _b64url(content.encode()))).encode()
    signature = hmac.new(token_secret.encode(), signing_input, hashlib.sha256).digest()
    return "%s..%s" % (header, _b64url(signature))


def default_signer(spec):
    """What a 1.18+ API server defaults a v1beta1 CSR's signerName to: the kubelet-serving or
    kubelet-client signer when the request is exactly such a request, else legacy-unknown."""
    request = x509.load_pem_x509_csr(base64.b64decode(spec["request"]))
    orgs = [a.value for a in request.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    cns = [a.value for a in request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    usages = frozenset(spec.get("usages") or [])
    if orgs != ["system:nodes"] or len(cns) != 1 or not cns[0].startswith("system:node:"):
        return LEGACY_UNKNOWN
    if usages in SERVING_USAGES and signer_problem(dict(spec, usages=sorted(usages))) is None:
        return KUBELET_SERVING
    if usages in (frozenset(["digital signature", "client auth"]),
                  frozenset(["digital signature", "key encipherment", "client auth"])):
        try:
            request.extensions.get_extension_for_class(x509.SubjectAlternativeName)
            return LEGACY_UNKNOWN
        except x509.ExtensionNotFound:
            return KUBELET_CLIENT
    return LEGACY_UNKNOWN


def signer_problem(spec):
    """The kubelet-serving signer's own rules; a violation makes the CSR Failed, not issued."""
    request = x509.load_pem_x509_csr(base64.b64decode(spec["request"]))
    orgs = [a.value for a in request.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    cns = [a.value for a in request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if orgs != ["system:nodes"]:
        return "subject organization is not system:nodes"
    if len(cns) != 1 or not cns[0].startswith("system:node:"):
        return 'subject common name does not begin with "system:node:"'
    if frozenset(spec.get("usages") or []) not in SERVING_USAGES:
        return "usages did not match [digital signature server auth] or [key encipherment digital signature server auth]"
    try:
        sans = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return "at least one DNS or IP subjectAltName is required"
    if sans.get_values_for_type(x509.RFC822Name) or sans.get_values_for_type(x509.UniformResourceIdentifier):
        return "email and URI subjectAltNames are not allowed"
    if not (sans.get_values_for_type(x509.DNSName) or sans.get_values_for_type(x509.IPAddress)):
        return "at least one DNS or IP subjectAltName is required"
    return None


def _is_ip(value):
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return False


def _default(obj):
    """The API server's defaulting for the fields clients wait on (``spec.replicas`` of the
    replicated workloads; a Job's completions, parallelism and backoffLimit) or read (a
    Service's type)."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    if obj.get("kind") in ("Deployment", "ReplicaSet", "StatefulSet"):
        spec.setdefault("replicas", 1)
    if obj.get("kind") == "Job":
        spec.setdefault("completions", 1)
        spec.setdefault("parallelism", 1)
        spec.setdefault("backoffLimit", 6)
    if obj.get("kind") == "Service":
        spec.setdefault("type", "ClusterIP")


def _selectable_fields(obj):
    """The fields a fieldSelector may name (metadata for every kind; a Secret's type; the Pod fields
    kubelets and kubectl select on)."""
    fields = {"metadata.name": obj["metadata"]["name"], "metadata.namespace": obj["metadata"].get("namespace", "")}
    if obj.get("kind") == "Secret":
        fields["type"] = obj.get("type", "Opaque")
    if obj.get("kind") == "Pod":
        fields["spec.nodeName"] = (obj.get("spec") or {}).get("nodeName", "")
        fields["status.phase"] = (obj.get("status") or {}).get("phase", "")
    return fields


def _url_host(host):
    return "[%s]" % host if ":" in host else host


def _selector(text):
    reqs = []
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        if "!=" in part:
            k, v = part.split("!=", 1)
            reqs.append((k.strip(), "!=", v.strip()))
        elif "=" in part:
            k, v = part.split("==", 1) if "==" in part else part.split("=", 1)
            reqs.append((k.strip(), "=", v.strip()))
        elif part.startswith("!"):
            reqs.append((part[1:], "!", None))
        else:
            reqs.append((part, "exists", None))
    return reqs


def _matches(values, reqs):
    for key, op, val in reqs:
        if op == "=" and values.get(key) != val:
            return False
        if op == "!=" and values.get(key) == val:
            return False
        if op == "exists" and key not in values:
            return False
        if op == "!" and key in values:
            return False
    return True


def parse_path(path, registry):
    """-> (kind, res, namespace, name, subresource) where kind is 'resource' or a discovery document."""
    parts = [p for p in path.split("/") if p]
    if parts in (["api"], ["apis"], ["version"], ["healthz"], ["livez"], ["readyz"]):
        return ("discovery:" + parts[0], None, None, None, None)
    if parts[:1] == ["openapi"]:
        return ("discovery:openapi", None, None, None, None)
    if parts[:1] == ["apis"] and len(parts) == 2:
        return ("discovery:group", (parts[1], None), None, None, None)
    if parts[:1] == ["api"] and len(parts) >= 2:
        group, version, rest = "", parts[1], parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return (None, None, None, None, None)
    if not rest:
        return ("discovery:resources", (group, version), None, None, None)
    ns = None
    if rest[0] == "namespaces" and len(rest) >= 3 and registry.by_path(group, version, rest[2]) is not None and \
            registry.by_path(group, version, rest[2]).namespaced:
        ns, rest = rest[1], rest[2:]
    res = registry.by_path(group, version, rest[0])
    if res is None:
        return (None, None, None, None, None)
    name = rest[1] if len(rest) > 1 else None
    sub = rest[2] if len(rest) > 2 else None
    return ("resource", res, ns, name, sub)


class Handler(BaseHTTPRequestHandler):
    emulator = None
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep test output clean
        return

    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_text(self, code, text):
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_chunked(self):
        """A request body sent with Transfer-Encoding: chunked (kubectl create --raw -f - does)."""
        parts = []
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()  # the CRLF after each chunk

    def _body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raw = self._read_chunked()
        else:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        if raw.startswith(b"k8s\x00"):
            raise APIError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                           "accepted media types include: application/json, application/yaml")
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise APIError(400, "BadRequest", "the object provided is unrecognized: %s" % exc)

    def _handle(self, method):
        emu = self.emulator
        url = urlparse(self.path)
        try:
            identity = emu.authenticate(self)
            emu.requests.append((method, url.path, identity[0]))
            kind, res, ns, name, sub = parse_path(url.path, emu.registry)
            anonymous = identity[0] == "system:anonymous"
            public = kind in ("discovery:version", "discovery:healthz", "discovery:livez", "discovery:readyz") or (
                kind == "resource" and res.plural == "configmaps" and ns == "kube-public" and name == "cluster-info")
            if anonymous and not (method == "GET" and public):
                raise APIError(401, "Unauthorized", "Unauthorized")
            if kind is None:
                raise APIError(404, "NotFound", "the server could not find the requested resource")
            if kind.startswith("discovery:"):
                if method != "GET":
                    raise APIError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
                if kind in ("discovery:healthz", "discovery:livez", "discovery:readyz"):
                    return self._send_text(200, "ok")
                if kind == "discovery:version":
                    return self._send(200, dict(discovery(kind, res, emu.registry), **emu.version))
                return self._send(200, discovery(kind, res, emu.registry))
            query = parse_qs(url.query)
            if method == "GET":
                if name is None:
                    return self._send(200, emu.list(res, ns, query))
                obj = emu.get_object(res.plural, name, ns if res.namespaced else None, res.group)
                if obj is None:
                    raise not_found(res, name)
                if res.plural == "configmaps" and ns == "kube-public" and name == "cluster-info":
                    obj = emu.sign_cluster_info(obj)
                return self._send(200, obj)
            if query.get("dryRun") == ["All"]:
                return self._send(*self._dry_run(method, res, ns, name, sub, query, identity))
            return self._send(*self._write(method, res, ns, name, sub, query, identity))
        except APIError as exc:
            return self._send(exc.code, exc.status())

    def _write(self, method, res, ns, name, sub, query, identity):
        """A write request -> (status code, answer). The field manager is ``?fieldManager=`` or,
        as in the API server, the client's User-Agent up to the first ``/``."""
        emu = self.emulator
        content_type = self.headers.get("Content-Type", "")
        given = (query.get("fieldManager") or [""])[0]
        manager = given or self.headers.get("User-Agent", "unknown").split("/")[0]
        if method == "POST" and res.plural == "serviceaccounts" and sub == "token":
            return 201, emu.token_request(ns, name, self._body())
        if method == "POST" and res.plural == "pods" and sub == "eviction":
            # policy/v1 Eviction (a drain): the Pod is deleted; PodDisruptionBudgets are not consulted
            emu.delete(res, ns, name)
            return 201, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}
        if method == "POST" and res.plural == "selfsubjectreviews":
            return 201, {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
                         "metadata": {"creationTimestamp": now_rfc3339()},
                         "status": {"userInfo": {"username": identity[0], "groups": list(identity[1])}}}
        if method == "POST" and res.plural == "tokenreviews":
            return 201, emu.token_review(self._body())
        if method == "PATCH" and name and "apply-patch" in content_type:
            return 200, emu.apply(res, ns, name, sub, self._body(), given, query.get("force") == ["true"], identity)
        if method == "POST" and name is None:
            return 201, emu.create(res, ns, self._body(), identity, manager)
        if method == "PUT" and name:
            return 200, emu.replace(res, ns, name, sub, self._body(), manager)
        if method == "PATCH" and name:
            return 200, emu.patch(res, ns, name, sub, content_type, self._body(), manager)
        if method == "DELETE" and name:
            return 200, emu.delete(res, ns, name)
        raise APIError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")

    def _dry_run(self, method, res, ns, name, sub, query, identity):
        """``?dryRun=All``: the write is done as usual and answered, then undone (nothing
        persists, the resourceVersion counter and the served resources are restored)."""
        emu = self.emulator
        with emu.store.lock:
            saved = copy.deepcopy(emu.store.objects), emu.store.rv, emu.store.state_file, list(emu.registry.resources)
            emu.store.state_file = None
            try:
                return self._write(method, res, ns, name, sub, query, identity)
            finally:
                emu.store.objects, emu.store.rv, emu.store.state_file, emu.registry.resources = saved

    def do_GET(self):  # noqa: N802 (http.server naming)
        self._handle("GET")

    def do_POST(self):  # noqa: N802
        self._handle("POST")

    def do_PUT(self):  # noqa: N802
        self._handle("PUT")

    def do_PATCH(self):  # noqa: N802
        self._handle("PATCH")

    def do_DELETE(self):  # noqa: N802
        self._handle("DELETE")


def discovery(kind, group_version, registry):
    if kind == "discovery:openapi":
        return {"paths": {}}
    if kind == "discovery:version":
        return dict(SERVER_VERSION, goVersion="go1.25.3", compiler="gc", buildDate="2026-08-11T00:00:00Z",
                    gitCommit="0" * 40, gitTreeState="clean")
    if kind == "discovery:api":
        return {"kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": ""}]}
    if kind == "discovery:apis":
        versions = {}
        for r in registry.resources:
            if r.group and r.version not in versions.setdefault(r.group, []):
                versions[r.group].append(r.version)
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [
            {"name": g, "versions": [{"groupVersion": "%s/%s" % (g, v), "version": v} for v in vs],
             "preferredVersion": {"groupVersion": "%s/%s" % (g, vs[0]), "version": vs[0]}}
            for g, vs in sorted(versions.items())]}
    if kind == "discovery:group":  # GET /apis/<group>: the APIGroup
        found = [g for g in discovery("discovery:apis", None, registry)["groups"] if g["name"] == group_version[0]]
        if not found:
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        return dict(found[0], kind="APIGroup", apiVersion="v1")
    group, version = group_version
    resources = []
    for r in registry.resources:
        if (r.group, r.version) != (group, version):
            continue
        resources.append({"name": r.plural, "singularName": r.kind.lower(), "namespaced": r.namespaced,
                          "kind": r.kind, "shortNames": list(r.short),
                          "verbs": ["create", "delete", "get", "list", "patch", "update"]})
        for sub in r.subresources:
            resources.append({"name": "%s/%s" % (r.plural, sub), "singularName": "", "namespaced": r.namespaced,
                              "kind": r.kind, "verbs": ["get", "patch", "update"]})
    if not resources:
        raise APIError(404, "NotFound", "the server could not find the requested resource")
    return {"kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": "%s/%s" % (group, version) if group else version, "resources": resources}
