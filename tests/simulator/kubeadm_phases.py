"""`kubeadm init`, `kubeadm join` and `kubeadm reset` of the control-plane simulator.

What each does is what kubeadm does where a role (or an operator) can observe it: the config file
is decoded strictly for the API versions the release reads; preflight refuses swap, ip_forward 0,
a busy port 6443 and existing files; init writes a real PKI, kubeconfigs and static Pod manifests,
starts the kubelet (whose double runs the API emulator from the kube-apiserver manifest), uploads
kubeadm-config, kubelet-config and cluster-info, marks the control plane and creates a bootstrap
token; join discovers the cluster over TLS without trusting it, checks the CA pin and the token's
JWS signature on cluster-info, performs the kubelet TLS bootstrap with the token and waits for the
Node; reset removes what init/join wrote and says what it leaves. Messages follow kubeadm's.
"""

import base64
import datetime
import hashlib
import hmac
import ipaddress
import json
import os
import shutil
import socket
import subprocess
import time

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from simlib import KUBELET_CLIENT, API, Fail, csr_api, csr_spec, kubeconfig, minor, node_ip, node_name, release, write_private

ETC = os.environ.get("KUBEADM_SIM_ROOT", "") + "/etc/kubernetes"
PKI = ETC + "/pki"
MANIFESTS = ETC + "/manifests"
VAR_KUBELET = os.environ.get("KUBEADM_SIM_ROOT", "") + "/var/lib/kubelet"
ETCD_DATA = os.environ.get("KUBEADM_SIM_ROOT", "") + "/var/lib/etcd"
SCHEME = "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"
# (first minor, last minor) of each kubeadm config API (kubeadm's own removal history).
APIS = {"v1beta2": (15, 26), "v1beta3": (22, 36), "v1beta4": (31, 99)}
COMMON = {"apiVersion", "kind"}
FIELDS = {
    "InitConfiguration": {"all": {"bootstrapTokens", "nodeRegistration", "localAPIEndpoint", "certificateKey"},
                          "v1beta3": {"skipPhases", "patches"}, "v1beta4": {"skipPhases", "patches", "dryRun", "timeouts"}},
    "ClusterConfiguration": {"all": {"etcd", "networking", "kubernetesVersion", "controlPlaneEndpoint", "apiServer",
                                     "controllerManager", "scheduler", "dns", "certificatesDir", "imageRepository",
                                     "featureGates", "clusterName"},
                             "v1beta2": {"useHyperKubeImage"},
                             "v1beta4": {"encryptionAlgorithm", "certificateValidityPeriod", "caCertificateValidityPeriod",
                                         "proxy"}},
    "JoinConfiguration": {"all": {"nodeRegistration", "caCertPath", "discovery", "controlPlane"},
                          "v1beta3": {"skipPhases", "patches"}, "v1beta4": {"skipPhases", "patches", "dryRun", "timeouts"}},
    "ResetConfiguration": {"v1beta4": {"cleanupTmpDir", "certificatesDir", "criSocket", "dryRun", "force",
                                       "ignorePreflightErrors", "skipPhases", "unmountFlags", "timeouts"}},
}
NESTED = {
    "nodeRegistration": {"all": {"name", "criSocket", "taints", "kubeletExtraArgs", "ignorePreflightErrors"},
                         "v1beta3": {"imagePullPolicy"}, "v1beta4": {"imagePullPolicy", "imagePullSerial"}},
    "localAPIEndpoint": {"all": {"advertiseAddress", "bindPort"}},
    "networking": {"all": {"serviceSubnet", "podSubnet", "dnsDomain"}},
    "apiServer": {"all": {"extraArgs", "extraVolumes", "certSANs"}, "v1beta2": {"timeoutForControlPlane"},
                  "v1beta3": {"timeoutForControlPlane"}, "v1beta4": {"extraEnvs"}},
    "discovery": {"all": {"bootstrapToken", "file", "tlsBootstrapToken"}, "v1beta2": {"timeout"}, "v1beta3": {"timeout"}},
}
ARG_LISTS = {("ClusterConfiguration", "apiServer", "extraArgs"): "APIServer.apiServer.extraArgs",
             ("ClusterConfiguration", "controllerManager", "extraArgs"): "ControlPlaneComponent.controllerManager.extraArgs",
             ("ClusterConfiguration", "scheduler", "extraArgs"): "ControlPlaneComponent.scheduler.extraArgs",
             ("InitConfiguration", "nodeRegistration", "kubeletExtraArgs"): "NodeRegistrationOptions.nodeRegistration.kubeletExtraArgs",
             ("JoinConfiguration", "nodeRegistration", "kubeletExtraArgs"): "NodeRegistrationOptions.nodeRegistration.kubeletExtraArgs"}
ETCD_TAGS = {17: "3.4.3-0", 36: "3.6.8-0"}


def log(line):
    print(line, flush=True)


# -- config ------------------------------------------------------------------------------------
def _gvk(doc):
    group, _sep, version = doc.get("apiVersion", "").rpartition("/")
    return group, version, doc.get("kind", "")


def _gvk_text(group, version, kind):
    return 'schema.GroupVersionKind{Group:"%s", Version:"%s", Kind:"%s"}' % (group, version, kind)


def _allowed(table, version):
    return set(table.get("all", set())) | set(table.get(version, set()))


def load_config(path, expected):
    """Decode a kubeadm config file as the release would; return {kind: document}."""
    try:
        with open(path, encoding="utf-8") as handle:
            docs = [d for d in yaml.safe_load_all(handle) if d]
    except OSError as exc:
        raise Fail("unable to read config from \"%s\" : open %s: %s" % (path, path, exc.strerror.lower()))
    except yaml.YAMLError as exc:
        raise Fail("error converting YAML to JSON: %s" % exc)
    found = {}
    rel_minor = minor()
    for doc in docs:
        group, version, kind = _gvk(doc)
        if group == "kubeadm.k8s.io":
            first, last = APIS.get(version, (0, -1))
            if rel_minor > last and first:
                older = "v1.%d" % last
                raise Fail("your configuration file uses an old API spec: \"%s\" (kind: \"%s\"). Please use kubeadm %s "
                           "instead and run 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which "
                           "will write the new, similar spec using a newer API version." % (doc["apiVersion"], kind, older))
            if not first <= rel_minor <= last or kind not in FIELDS or not _allowed(FIELDS[kind], version):
                raise Fail('no kind "%s" is registered for version "%s" in scheme "%s"' % (kind, doc["apiVersion"], SCHEME))
            _strict(doc, group, version, kind)
        elif (group, version) == ("kubelet.config.k8s.io", "v1beta1") and kind == "KubeletConfiguration":
            pass
        elif (group, version) == ("kubeproxy.config.k8s.io", "v1alpha1") and kind == "KubeProxyConfiguration":
            pass
        else:
            raise Fail('no kind "%s" is registered for version "%s" in scheme "%s"' % (kind, doc.get("apiVersion"), SCHEME))
        found[kind] = doc
    missing = [k for k in expected if k not in found]
    if missing and expected == ("JoinConfiguration",):
        raise Fail("no JoinConfiguration kind was found in the YAML file")
    return found


def _strict(doc, group, version, kind):
    unknown = sorted(set(doc) - COMMON - _allowed(FIELDS[kind], version))
    for key, table in NESTED.items():
        if isinstance(doc.get(key), dict):
            unknown += sorted("%s.%s" % (key, k) for k in set(doc[key]) - _allowed(table, version))
    if unknown:
        raise Fail('error unmarshaling configuration %s: strict decoding error: %s'
                   % (_gvk_text(group, version, kind), ", ".join('unknown field "%s"' % u for u in unknown)))
    for (akind, parent, field), go_path in ARG_LISTS.items():
        if akind != kind or not isinstance(doc.get(parent), dict) or field not in doc[parent]:
            continue
        value = doc[parent][field]
        if version == "v1beta4" and isinstance(value, dict):
            raise Fail("error unmarshaling configuration %s: json: cannot unmarshal object into Go struct field %s of type "
                       "[]v1beta4.Arg" % (_gvk_text(group, version, kind), go_path))
        if version != "v1beta4" and isinstance(value, list):
            raise Fail("error unmarshaling configuration %s: json: cannot unmarshal array into Go struct field %s of type "
                       "map[string]string" % (_gvk_text(group, version, kind), go_path))


def arg_map(value):
    if isinstance(value, list):
        return {a["name"]: a["value"] for a in value}
    return dict(value or {})


# -- preflight ----------------------------------------------------------------------------------
def _swap_on():
    try:
        with open("/proc/swaps", encoding="ascii") as handle:
            return len(handle.read().strip().splitlines()) > 1
    except OSError:
        return False


def _read(path):
    try:
        with open(path, encoding="ascii") as handle:
            return handle.read().strip()
    except OSError:
        return None


def _port_in_use(port):
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind(("0.0.0.0", port))
        return False
    except OSError:
        return True
    finally:
        probe.close()


def preflight(checks, ignored):
    log("[preflight] Running pre-flight checks")
    ignored = {i.lower() for i in ignored}
    errors = []
    for name, message in checks:
        if "all" in ignored or name.lower() in ignored:
            log("\t[WARNING %s]: %s" % (name, message))
        else:
            errors.append("\t[ERROR %s]: %s" % (name, message))
    if errors:
        raise Fail("error execution phase preflight: [preflight] Some fatal errors occurred:\n%s\n[preflight] If you know "
                   "what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`"
                   % "\n".join(errors))


def common_checks():
    checks = []
    if _swap_on():
        checks.append(("Swap", "running with swap on is not supported. Please disable swap"))
    if _read("/proc/sys/net/ipv4/ip_forward") != "1":
        checks.append(("FileContent--proc-sys-net-ipv4-ip_forward",
                       "/proc/sys/net/ipv4/ip_forward contents are not set to 1"))
    return checks


def _file_check(path):
    return ("FileAvailable-" + path.replace("/", "-"), "%s already exists" % path)


# -- PKI ----------------------------------------------------------------------------------------
def _key(algorithm):
    if algorithm.startswith("ECDSA"):
        return ec.generate_private_key(ec.SECP384R1() if algorithm.endswith("P384") else ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=int(algorithm.split("-")[1]))


def _pem_key(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL
                             if isinstance(key, rsa.RSAPrivateKey) else serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _pem_cert(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def _name(cn, orgs=()):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
                     + [x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject, public_key, issuer_cert, issuer_key, days, ca=False, server=False, client=False, dns=(), ips=()):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer_cert.subject if issuer_cert is not None else subject)
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = (builder.add_extension(x509.KeyUsage(True, False, True, False, False, True, False, False, False), True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False))
    else:
        ekus = ([ExtendedKeyUsageOID.SERVER_AUTH] if server else []) + ([ExtendedKeyUsageOID.CLIENT_AUTH] if client else [])
        builder = (builder.add_extension(x509.KeyUsage(True, False, True, False, False, False, False, False, False), True)
                   .add_extension(x509.ExtendedKeyUsage(ekus), False))
        names = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        if names:
            builder = builder.add_extension(x509.SubjectAlternativeName(names), False)
    return builder.sign(issuer_key, hashes.SHA256())


def _ca(name, algorithm, pki_dir=PKI):
    """Reuse an existing CA (kubeadm's "Using existing ca certificate authority") or make one."""
    crt, key_path = os.path.join(pki_dir, name + ".crt"), os.path.join(pki_dir, name + ".key")
    if os.path.exists(crt) and os.path.exists(key_path):
        log('[certs] Using existing %s certificate authority' % name)
        with open(crt, "rb") as handle:
            cert = x509.load_pem_x509_certificate(handle.read())
        with open(key_path, "rb") as handle:
            key = serialization.load_pem_private_key(handle.read(), password=None)
        return key, cert
    log('[certs] Generating "%s" certificate and key' % name)
    key = _key(algorithm)
    cert = _cert(_name({"ca": "kubernetes", "front-proxy-ca": "front-proxy-ca", "etcd/ca": "etcd-ca"}[name]),
                 key.public_key(), None, key, 3650, ca=True)
    write_private(crt, _pem_cert(cert), 0o644)
    write_private(key_path, _pem_key(key))
    return key, cert


def _leaf(name, ca, cn, orgs=(), algorithm="RSA-2048", **kwargs):
    log('[certs] Generating "%s" certificate and key' % name)
    key = _key(algorithm)
    cert = _cert(_name(cn, orgs), key.public_key(), ca[1], ca[0], 365, **kwargs)
    write_private(os.path.join(PKI, name + ".crt"), _pem_cert(cert), 0o644)
    write_private(os.path.join(PKI, name + ".key"), _pem_key(key))
    return key, cert


def ca_pin(cert):
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return "sha256:" + hashlib.sha256(spki).hexdigest()


# -- init ---------------------------------------------------------------------------------------
def _ignored(flags, node_registration):
    out = []
    for value in flags:
        out += [v for v in value.split(",") if v]
    return out + list(node_registration.get("ignorePreflightErrors") or [])


def _endpoint(cluster_cfg, advertise, port):
    cpe = cluster_cfg.get("controlPlaneEndpoint")
    if cpe:
        return cpe if ":" in cpe else "%s:%d" % (cpe, port)
    return "%s:%d" % (advertise, port)


def _service_ip(subnet):
    return str(next(ipaddress.ip_network(subnet.split(",")[0], strict=False).hosts()))


def _static_pods(cluster_cfg, advertise, port, version):
    repo = cluster_cfg.get("imageRepository") or ("k8s.gcr.io" if minor() <= 21 else "registry.k8s.io")
    api_args = {"advertise-address": advertise, "secure-port": str(port), "allow-privileged": "true",
                "authorization-mode": "Node,RBAC", "client-ca-file": PKI + "/ca.crt",
                "enable-bootstrap-token-auth": "true", "service-cluster-ip-range":
                    (cluster_cfg.get("networking") or {}).get("serviceSubnet", "10.96.0.0/12"),
                "tls-cert-file": PKI + "/apiserver.crt", "tls-private-key-file": PKI + "/apiserver.key",
                "etcd-servers": "https://127.0.0.1:2379",
                # what kubeadm writes for service-account tokens and the aggregation layer
                "service-account-key-file": PKI + "/sa.pub",
                "requestheader-client-ca-file": PKI + "/front-proxy-ca.crt",
                "requestheader-allowed-names": "front-proxy-client",
                "requestheader-username-headers": "X-Remote-User", "requestheader-group-headers": "X-Remote-Group",
                "requestheader-extra-headers-prefix": "X-Remote-Extra-",
                "proxy-client-cert-file": PKI + "/front-proxy-client.crt",
                "proxy-client-key-file": PKI + "/front-proxy-client.key",
                "kubelet-preferred-address-types": "InternalIP,ExternalIP,Hostname"}
    if minor() >= 20:
        api_args.update({"service-account-signing-key-file": PKI + "/sa.key",
                         "service-account-issuer": "https://kubernetes.default.svc.%s"
                         % ((cluster_cfg.get("networking") or {}).get("dnsDomain") or "cluster.local")})
    api_args.update(arg_map((cluster_cfg.get("apiServer") or {}).get("extraArgs")))
    etcd_tag = ETCD_TAGS.get(minor(), "3.6.8-0")
    pods = {
        "etcd": ("%s/etcd:%s" % (repo, etcd_tag), ["etcd", "--data-dir=" + ETCD_DATA, "--advertise-client-urls=https://%s:2379" % advertise]),
        "kube-apiserver": ("%s/kube-apiserver:%s" % (repo, version),
                           ["kube-apiserver"] + ["--%s=%s" % kv for kv in sorted(api_args.items())]),
        "kube-controller-manager": ("%s/kube-controller-manager:%s" % (repo, version),
                                    ["kube-controller-manager", "--kubeconfig=%s/controller-manager.conf" % ETC,
                                     "--cluster-cidr=%s" % (cluster_cfg.get("networking") or {}).get("podSubnet", "")]),
        "kube-scheduler": ("%s/kube-scheduler:%s" % (repo, version),
                           ["kube-scheduler", "--kubeconfig=%s/scheduler.conf" % ETC]),
    }
    for name, (image, command) in pods.items():
        log('[control-plane] Creating static Pod manifest for "%s"' % name) if name != "etcd" else \
            log('[etcd] Creating static Pod manifest for local etcd in "%s"' % MANIFESTS)
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "kube-system",
               "labels": {"component": name, "tier": "control-plane"}},
               "spec": {"hostNetwork": True, "priorityClassName": "system-node-critical",
                        "containers": [{"name": name, "image": image, "command": command}]}}
        write_private(os.path.join(MANIFESTS, name + ".yaml"), yaml.safe_dump(pod, default_flow_style=False))


def _kubelet_config(kubelet_cfg):
    config = dict(kubelet_cfg or {"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration"})
    config.setdefault("cgroupDriver", "systemd" if minor() >= 22 else "cgroupfs")
    config.setdefault("rotateCertificates", True)
    return config


def _kubelet_files(kubelet_cfg, node_registration, cri_socket, name=None):
    config = _kubelet_config(kubelet_cfg)
    write_private(VAR_KUBELET + "/config.yaml", yaml.safe_dump(config, default_flow_style=False), 0o644)
    flags = ["--container-runtime-endpoint=%s" % cri_socket]
    if name and name != node_name():
        flags.append("--hostname-override=%s" % name)
    for name, value in sorted(arg_map(node_registration.get("kubeletExtraArgs")).items()):
        flags.append("--%s=%s" % (name, value))
    write_private(VAR_KUBELET + "/kubeadm-flags.env", 'KUBELET_KUBEADM_ARGS="%s"\n' % " ".join(flags), 0o644)
    return config


def _restart_kubelet():
    log("[kubelet-start] Starting the kubelet")
    if os.environ.get("KUBEADM_SIM_NO_SYSTEMD"):
        return
    subprocess.run(["systemctl", "restart", "kubelet"], check=False)


def _wait(what, check, timeout):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            result = check()
            if result:
                return result
        except Fail as exc:
            last = exc
        time.sleep(0.3)
    raise Fail("%s: timed out waiting for the condition%s" % (what, " (%s)" % last if last else ""))


def _taints_for(node_registration):
    if "taints" in node_registration and node_registration["taints"] is not None:
        return node_registration["taints"]
    key = "node-role.kubernetes.io/control-plane" if minor() >= 25 else "node-role.kubernetes.io/master"
    return [{"key": key, "effect": "NoSchedule"}]


def _role_labels():
    labels = {}
    if minor() <= 23:
        labels["node-role.kubernetes.io/master"] = ""
    if minor() >= 20:
        labels["node-role.kubernetes.io/control-plane"] = ""
    if minor() >= 21:
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    return labels


def _token_secret(token, ttl_seconds, description, usages, groups):
    tid, tsecret = token.split(".")

    def b64(value):
        return base64.b64encode(value.encode()).decode()
    data = {"token-id": b64(tid), "token-secret": b64(tsecret)}
    if ttl_seconds:
        expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=ttl_seconds)
        data["expiration"] = b64(expires.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if description:
        data["description"] = b64(description)
    for usage in usages:
        data["usage-bootstrap-%s" % usage] = b64("true")
    if groups:
        data["auth-extra-groups"] = b64(",".join(groups))
    return {"apiVersion": "v1", "kind": "Secret", "type": "bootstrap.kubernetes.io/token",
            "metadata": {"name": "bootstrap-token-%s" % tid, "namespace": "kube-system"}, "data": data}


def _random_token():
    import secrets
    import string
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for i in range(6)) + "." + "".join(secrets.choice(alphabet) for i in range(16))


def _parse_duration(text):
    import re
    total = 0
    for amount, unit in re.findall(r"(\d+)(h|m|s)", str(text)):
        total += int(amount) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


# The phases of kubeadm init after the control plane answers, in init's order; each can be run
# alone (`kubeadm init phase <phase> [all] --config ...`), as the roles do to finish an init that
# stopped half-way.
FINISH_PHASES = ("upload-config", "mark-control-plane", "bootstrap-token", "kubelet-finalize", "addon")


def _finish(phases, admin, docs, version, name, ca_pem, server, kubelet_cfg, skip_token_print):
    """Run ``phases`` of FINISH_PHASES; returns the first bootstrap token (or None)."""
    init_cfg = docs.get("InitConfiguration", {})
    cluster_cfg = docs.get("ClusterConfiguration", {})
    node_registration = init_cfg.get("nodeRegistration") or {}
    want = minor(version)
    shown = None
    if "upload-config" in phases:
        log('[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace')
        stored = dict(cluster_cfg, kubernetesVersion=version)
        _put(admin, "kube-system", "configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
            "name": "kubeadm-config", "namespace": "kube-system"}, "data": {"ClusterConfiguration": yaml.safe_dump(stored)}})
        kubelet_cm = "kubelet-config" if want >= 24 else "kubelet-config-1.%d" % want
        log('[kubelet] Creating a ConfigMap "%s" in namespace kube-system with the configuration for the kubelets in the cluster'
            % kubelet_cm)
        _put(admin, "kube-system", "configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
            "name": kubelet_cm, "namespace": "kube-system"}, "data": {"kubelet": yaml.safe_dump(kubelet_cfg)}})
    if "mark-control-plane" in phases:
        labels = _role_labels()
        taints = _taints_for(node_registration)
        log("[mark-control-plane] Marking the node %s as control-plane by adding the labels: [%s]"
            % (name, " ".join(sorted(labels))))
        log("[mark-control-plane] Marking the node %s as control-plane by adding the taints %s"
            % (name, json.dumps(taints)))
        _wait("[mark-control-plane] error getting node", lambda: admin.call("GET", "/api/v1/nodes/" + name), 60)
        admin.call("PATCH", "/api/v1/nodes/" + name, {"metadata": {"labels": labels}, "spec": {"taints": taints or None}},
                   "application/merge-patch+json")
    if "bootstrap-token" in phases:
        tokens = init_cfg.get("bootstrapTokens") or [{}]
        for spec in tokens:
            token = spec.get("token") or _random_token()
            shown = shown or token
            if not skip_token_print:
                log("[bootstrap-token] Using token: %s" % token)
            ttl = _parse_duration(spec.get("ttl", "24h0m0s"))
            secret = _token_secret(token, ttl, spec.get("description", "The default bootstrap token generated by 'kubeadm init'."
                                                        if not spec.get("token") else ""),
                                   spec.get("usages") or ["signing", "authentication"],
                                   spec.get("groups") or ["system:bootstrappers:kubeadm:default-node-token"])
            _put(admin, "kube-system", "secrets", secret)
        log('[bootstrap-token] Creating the "cluster-info" ConfigMap in the "kube-public" namespace')
        info = yaml.safe_dump({"apiVersion": "v1", "kind": "Config", "clusters": [{"name": "", "cluster": {
            "certificate-authority-data": base64.b64encode(ca_pem).decode(), "server": server}}],
            "contexts": None, "current-context": "", "preferences": {}, "users": None}, default_flow_style=False)
        _put(admin, "kube-public", "configmaps", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {
            "name": "cluster-info", "namespace": "kube-public"}, "data": {"kubeconfig": info}})
    if "kubelet-finalize" in phases:
        log("[kubelet-finalize] Updating \"%s\" to point to a rotatable kubelet client certificate and key" % (ETC + "/kubelet.conf"))
    if "addon" in phases:
        log("[addons] Applied essential addon: CoreDNS")
        log("[addons] Applied essential addon: kube-proxy")
    return shown


def init(config_path, ignore_flags, dry_run=False, skip_token_print=False):
    docs = load_config(config_path, ("InitConfiguration", "ClusterConfiguration"))
    init_cfg = docs.get("InitConfiguration", {})
    cluster_cfg = docs.get("ClusterConfiguration", {})
    version = cluster_cfg.get("kubernetesVersion") or "v" + release()
    want = minor(version)
    if want < minor() - 1:
        raise Fail("this version of kubeadm only supports deploying clusters with the control plane version >= 1.%d.0. "
                   "Current version: %s" % (minor() - 1, version))
    if want > minor():
        raise Fail("the specified version to deploy (%s) is newer than kubeadm (v%s); upgrade kubeadm first"
                   % (version, release()))
    endpoint_cfg = init_cfg.get("localAPIEndpoint") or {}
    advertise = endpoint_cfg.get("advertiseAddress") or node_ip()
    port = int(endpoint_cfg.get("bindPort") or 6443)
    node_registration = init_cfg.get("nodeRegistration") or {}
    name = node_registration.get("name") or node_name()
    log("[init] Using Kubernetes version: %s" % version)
    checks = common_checks()
    if _port_in_use(port):
        checks.append(("Port-%d" % port, "Port %d is in use" % port))
    for path in (MANIFESTS + "/kube-apiserver.yaml", MANIFESTS + "/kube-controller-manager.yaml",
                 MANIFESTS + "/kube-scheduler.yaml", MANIFESTS + "/etcd.yaml"):
        if os.path.exists(path):
            checks.append(_file_check(path))
    if os.path.isdir(ETCD_DATA) and os.listdir(ETCD_DATA):
        checks.append(("DirAvailable--var-lib-etcd", "%s is not empty" % ETCD_DATA))
    preflight(checks, _ignored(ignore_flags, node_registration))
    if dry_run:
        log("[dryrun] Finished dry-running successfully. Above are the resources that would be created")
        return 0

    algorithm = cluster_cfg.get("encryptionAlgorithm", "RSA-2048")
    log('[certs] Using certificateDir folder "%s"' % PKI)
    ca = _ca("ca", algorithm)
    networking = cluster_cfg.get("networking") or {}
    dns_domain = networking.get("dnsDomain", "cluster.local")
    sans_dns = [name, "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc." + dns_domain]
    sans_ip = [_service_ip(networking.get("serviceSubnet", "10.96.0.0/12")), advertise]
    cpe_host = (cluster_cfg.get("controlPlaneEndpoint") or "").rsplit(":", 1)[0]
    for extra in list((cluster_cfg.get("apiServer") or {}).get("certSANs") or []) + ([cpe_host] if cpe_host else []):
        try:
            ipaddress.ip_address(extra)
            sans_ip.append(extra)
        except ValueError:
            sans_dns.append(extra)
    _leaf("apiserver", ca, "kube-apiserver", (), algorithm, server=True, dns=sorted(set(sans_dns)), ips=sorted(set(sans_ip)))
    _leaf("apiserver-kubelet-client", ca, "kube-apiserver-kubelet-client",
          ("kubeadm:cluster-admins",) if want >= 29 else ("system:masters",), algorithm, client=True)
    front = _ca("front-proxy-ca", algorithm)
    _leaf("front-proxy-client", front, "front-proxy-client", (), algorithm, client=True)
    _ca("etcd/ca", algorithm)
    if not os.path.exists(PKI + "/sa.key"):
        log('[certs] Generating "sa" key and public key')
        sa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        write_private(PKI + "/sa.key", _pem_key(sa))
        public = sa.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        write_private(PKI + "/sa.pub", public, 0o644)
    server = "https://" + _endpoint(cluster_cfg, advertise, port)
    ca_pem = _pem_cert(ca[1])
    log('[kubeconfig] Using kubeconfig folder "%s"' % ETC)
    users = [("admin.conf", "kubernetes-admin", ("kubeadm:cluster-admins",) if want >= 29 else ("system:masters",)),
             ("kubelet.conf", "system:node:" + name, ("system:nodes",)),
             ("controller-manager.conf", "system:kube-controller-manager", ()),
             ("scheduler.conf", "system:kube-scheduler", ())]
    if want >= 29:
        users.insert(1, ("super-admin.conf", "kubernetes-super-admin", ("system:masters",)))
    for filename, user, orgs in users:
        log('[kubeconfig] Writing "%s" kubeconfig file' % filename)
        key = _key("ECDSA-P256" if algorithm.startswith("ECDSA") else "RSA-2048")
        cert = _cert(_name(user, orgs), key.public_key(), ca[1], ca[0], 365, client=True)
        write_private(os.path.join(ETC, filename), kubeconfig(server, ca_pem, user, _pem_cert(cert), _pem_key(key)))
    _static_pods(cluster_cfg, advertise, port, version)
    cri_socket = node_registration.get("criSocket") or "unix:///var/run/containerd/containerd.sock"
    kubelet_cfg = _kubelet_files(docs.get("KubeletConfiguration"), node_registration, cri_socket, name)
    _restart_kubelet()
    log('[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory "%s"'
        % MANIFESTS)
    started = time.time()
    admin = API.from_kubeconfig(ETC + "/admin.conf")
    _wait("[api-check] The API server is not healthy", lambda: admin.call("GET", "/healthz") == "ok", 60)
    log("[apiclient] All control plane components are healthy after %.6f seconds" % (time.time() - started))
    token = _finish(FINISH_PHASES, admin, docs, version, name, ca_pem, server, kubelet_cfg, skip_token_print)
    log("")
    log("Your Kubernetes control-plane has initialized successfully!")
    log("")
    log("To start using your cluster, you need to run the following as a regular user:")
    log("")
    log("  mkdir -p $HOME/.kube")
    log("  sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config")
    log("  sudo chown $(id -u):$(id -g) $HOME/.kube/config")
    log("")
    log("You should now deploy a pod network to the cluster.")
    log('Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:')
    log("  https://kubernetes.io/docs/concepts/cluster-administration/addons/")
    log("")
    log("Then you can join any number of worker nodes by running the following on each as root:")
    log("")
    shown = "<value withheld>" if skip_token_print else token
    log("kubeadm join %s --token %s \\\n\t--discovery-token-ca-cert-hash %s " % (server[len("https://"):], shown, ca_pin(ca[1])))
    return 0


def init_phase(phase_name, config_path, skip_token_print=False):
    """`kubeadm init phase <phase> [all] --config <file>` for the phases after the control plane
    answers (FINISH_PHASES); the others are not simulated."""
    if phase_name not in FINISH_PHASES:
        raise Fail('the simulator runs `kubeadm init phase` only for %s, not "%s"' % (", ".join(FINISH_PHASES), phase_name))
    if not config_path:
        raise Fail("the simulator runs `kubeadm init phase` only with --config, as the roles call it")
    docs = load_config(config_path, ("InitConfiguration", "ClusterConfiguration"))
    init_cfg = docs.get("InitConfiguration", {})
    cluster_cfg = docs.get("ClusterConfiguration", {})
    version = cluster_cfg.get("kubernetesVersion") or "v" + release()
    endpoint_cfg = init_cfg.get("localAPIEndpoint") or {}
    advertise = endpoint_cfg.get("advertiseAddress") or node_ip()
    port = int(endpoint_cfg.get("bindPort") or 6443)
    name = (init_cfg.get("nodeRegistration") or {}).get("name") or node_name()
    if not os.path.exists(ETC + "/admin.conf"):
        raise Fail('couldn\'t create a Kubernetes client from file "%s/admin.conf": failed to load admin kubeconfig: '
                   'open %s/admin.conf: no such file or directory' % (ETC, ETC))
    with open(PKI + "/ca.crt", "rb") as handle:
        ca_pem = handle.read()
    admin = API.from_kubeconfig(ETC + "/admin.conf")
    _finish((phase_name,), admin, docs, version, name, ca_pem, "https://" + _endpoint(cluster_cfg, advertise, port),
            _kubelet_config(docs.get("KubeletConfiguration")), skip_token_print)
    return 0


def _put(api, namespace, plural, obj):
    try:
        api.call("POST", "/api/v1/namespaces/%s/%s" % (namespace, plural), obj)
    except Fail as exc:
        if getattr(exc, "code", 0) != 409:
            raise
        api.call("PUT", "/api/v1/namespaces/%s/%s/%s" % (namespace, plural, obj["metadata"]["name"]), obj)


# -- join ---------------------------------------------------------------------------------------
def _b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _verify_jws(jws, content, token_id, token_secret):
    header, _sep, signature = jws.partition("..")
    payload = base64.urlsafe_b64encode(content.encode()).rstrip(b"=").decode()
    expected = hmac.new(token_secret.encode(), ("%s.%s" % (header, payload)).encode(), hashlib.sha256).digest()
    try:
        ok = json.loads(_b64url_decode(header)).get("kid") == token_id and hmac.compare_digest(_b64url_decode(signature), expected)
    except ValueError:
        ok = False
    return ok


def discover(endpoint, token, hashes_, unsafe_skip):
    """kubeadm's token discovery: cluster-info fetched without trusting the server, its JWS
    checked with the token, its CA checked against the pins, then re-fetched trusting that CA."""
    if not hashes_ and not unsafe_skip:
        raise Fail('discovery.bootstrapToken: Invalid value: "": using token-based discovery without caCertHashes can be '
                   'unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass '
                   '--discovery-token-unsafe-skip-ca-verification flag to continue')
    token_id, token_secret = token.split(".")
    insecure = API("https://" + endpoint, insecure=True)
    path = "/api/v1/namespaces/kube-public/configmaps/cluster-info"

    def fetch():
        try:
            return insecure.call("GET", path)
        except Fail as exc:
            raise Fail("failed to request the cluster-info ConfigMap: %s" % exc)
    info = _wait("couldn't validate the identity of the API Server", fetch, 30)
    content = info["data"]["kubeconfig"]
    jws = info["data"].get("jws-kubeconfig-" + token_id)
    if not jws:
        raise Fail('error execution phase preflight: couldn\'t validate the identity of the API Server: could not find a JWS '
                   'signature in the cluster-info ConfigMap for token ID "%s"' % token_id)
    if not _verify_jws(jws, content, token_id, token_secret):
        raise Fail("error execution phase preflight: couldn't validate the identity of the API Server: failed to verify JWS "
                   "signature of received cluster info object, can't trust this API Server")
    config = yaml.safe_load(content)
    ca_pem = base64.b64decode(config["clusters"][0]["cluster"]["certificate-authority-data"])
    blocks = ca_pem.decode().split("-----END CERTIFICATE-----")
    certs = [x509.load_pem_x509_certificate((b + "-----END CERTIFICATE-----\n").encode()) for b in blocks if b.strip()]
    pins = [ca_pin(c) for c in certs]
    if not unsafe_skip:
        wanted = {h.lower() for h in hashes_}
        if not wanted & set(pins):
            raise Fail("error execution phase preflight: couldn't validate the identity of the API Server: cluster CA found "
                       "in cluster-info ConfigMap is invalid: none of the public keys \"%s\" are pinned" % ", ".join(pins))
    server = config["clusters"][0]["cluster"]["server"]
    trusted = API(server, ca_pem)
    trusted.call("GET", path)  # the second fetch, now over verified TLS
    log("[preflight] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...")
    return server, ca_pem


def join(endpoint, token, hashes_, unsafe_skip, config_path, ignore_flags, node_name_flag=None, cri_socket=None):
    node_registration = {}
    if config_path:
        docs = load_config(config_path, ("JoinConfiguration",))
        cfg = docs["JoinConfiguration"]
        boot = (cfg.get("discovery") or {}).get("bootstrapToken") or {}
        endpoint = boot.get("apiServerEndpoint") or endpoint
        token = boot.get("token") or (cfg.get("discovery") or {}).get("tlsBootstrapToken") or token
        hashes_ = boot.get("caCertHashes") or hashes_
        unsafe_skip = boot.get("unsafeSkipCAVerification", unsafe_skip)
        node_registration = cfg.get("nodeRegistration") or {}
    if not endpoint or not token:
        raise Fail("discovery: Invalid value: \"\": bootstrapToken or file must be set")
    import re
    if not re.match(r"^[a-z0-9]{6}\.[a-z0-9]{16}$", token):
        raise Fail('discovery.bootstrapToken.token: Invalid value: "%s": the bootstrap token is invalid' % token)
    name = node_name_flag or node_registration.get("name") or node_name()
    checks = common_checks()
    for path in (ETC + "/kubelet.conf", ETC + "/bootstrap-kubelet.conf", PKI + "/ca.crt"):
        if os.path.exists(path):
            checks.append(_file_check(path))
    preflight(checks, _ignored(ignore_flags, node_registration))
    server, ca_pem = discover(endpoint, token, hashes_, unsafe_skip)
    boot_api = API(server, ca_pem, token=token)
    try:
        kubelet_cm = boot_api.call("GET", "/api/v1/namespaces/kube-system/configmaps/" +
                                   ("kubelet-config" if minor() >= 24 else "kubelet-config-1.%d" % minor()))
        kubelet_cfg = yaml.safe_load(kubelet_cm["data"]["kubelet"])
    except Fail as exc:
        if getattr(exc, "code", 0) == 401:
            raise Fail("error execution phase kubelet-start: The token \"%s\" is invalid or has expired" % token.split(".")[0])
        raise
    write_private(PKI + "/ca.crt", ca_pem, 0o644)
    log('[kubelet-start] Writing kubelet configuration to file "%s/config.yaml"' % VAR_KUBELET)
    _kubelet_files(kubelet_cfg, node_registration, cri_socket or node_registration.get("criSocket")
                   or "unix:///var/run/containerd/containerd.sock", name)
    log("[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap")
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder().subject_name(_name("system:node:" + name, ("system:nodes",)))
           .sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))
    csr_path, csr_version = csr_api()
    created = boot_api.call("POST", csr_path, {
        "apiVersion": csr_version, "kind": "CertificateSigningRequest", "metadata": {"generateName": "node-csr-"},
        "spec": csr_spec(csr, KUBELET_CLIENT, ["digital signature", "client auth"])})

    def issued():
        obj = boot_api.call("GET", csr_path + "/" + created["metadata"]["name"])
        return base64.b64decode(obj["status"]["certificate"]) if obj.get("status", {}).get("certificate") else None
    cert_pem = _wait("error execution phase kubelet-start: timed out waiting for the kubelet client certificate", issued, 60)
    write_private(VAR_KUBELET + "/pki/kubelet-client-current.pem", cert_pem + _pem_key(key))
    write_private(ETC + "/kubelet.conf", kubeconfig(server, ca_pem, "system:node:" + name, cert_pem, _pem_key(key),
                                                    cluster="default-cluster"))
    _restart_kubelet()
    node_api = API.from_kubeconfig(ETC + "/kubelet.conf")
    _wait("error execution phase kubelet-start: the Node was not registered",
          lambda: node_api.call("GET", "/api/v1/nodes/" + name), 60)
    log("")
    log("This node has joined the cluster:")
    log("* Certificate signing request was sent to apiserver and a response was received.")
    log("* The Kubelet was informed of the new secure connection details.")
    log("")
    log("Run 'kubectl get nodes' on the control-plane to see this node join the cluster.")
    return 0


# -- reset --------------------------------------------------------------------------------------
def reset(force):
    if not force:
        raise Fail("the simulator runs `kubeadm reset` only with --force (-f), as the roles call it")
    log("[preflight] Running pre-flight checks")
    if not os.environ.get("KUBEADM_SIM_NO_SYSTEMD"):
        log("[reset] Stopping the kubelet service")
        subprocess.run(["systemctl", "stop", "kubelet"], check=False)
    log("[reset] Unmounting mounted directories in \"%s\"" % VAR_KUBELET)
    if os.path.isdir(ETCD_DATA):
        log("[reset] Deleting contents of stateful directories: [%s]" % ETCD_DATA)
        shutil.rmtree(ETCD_DATA, ignore_errors=True)
    for path in (VAR_KUBELET + "/pki", VAR_KUBELET + "/config.yaml", VAR_KUBELET + "/kubeadm-flags.env"):
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        elif os.path.exists(path):
            os.unlink(path)
    log("[reset] Deleting contents of config directories: [%s %s]" % (MANIFESTS, PKI))
    shutil.rmtree(MANIFESTS, ignore_errors=True)
    shutil.rmtree(PKI, ignore_errors=True)
    names = ("admin.conf", "super-admin.conf", "kubelet.conf", "bootstrap-kubelet.conf", "controller-manager.conf",
             "scheduler.conf")
    files = [ETC + "/" + f for f in names]
    log("[reset] Deleting files: [%s]" % " ".join(files))
    for path in files:
        if os.path.exists(path):
            os.unlink(path)
    log("")
    log("The reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d")
    log("")
    log("The reset process does not reset or clean up iptables rules or IPVS tables.")
    log("If you wish to reset iptables, you must do so manually by using the \"iptables\" command.")
    log("")
    log("If your cluster was setup to utilize IPVS, run ipvsadm --clear (or similar)")
    log("to reset your system's IPVS tables.")
    log("")
    log("The reset process does not clean your kubeconfig files and you must remove them manually.")
    log("Please, check the contents of the $HOME/.kube/config file.")
    return 0
