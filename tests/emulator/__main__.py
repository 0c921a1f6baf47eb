"""Run the API emulator as a service (the control-plane simulator starts it this way).

    python3 -m tests.emulator --pki-dir DIR [--host 127.0.0.1] [--port 6443] [--state FILE]
                              [--admin-kubeconfig PATH] [--server-name NAME ...]
                              [--service-account-signing-key-file sa.key] [--service-account-issuer URL]

The CA is read from DIR/ca.crt and DIR/ca.key, or created there (key 0600) when absent.
"""

import argparse
import os
import signal
import sys

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from . import pki
from .apiserver import Emulator


def load_or_create_ca(pki_dir):
    crt, key = os.path.join(pki_dir, "ca.crt"), os.path.join(pki_dir, "ca.key")
    if os.path.exists(crt) and os.path.exists(key):
        with open(crt, "rb") as handle:
            cert = x509.load_pem_x509_certificate(handle.read())
        with open(key, "rb") as handle:
            ca_key = serialization.load_pem_private_key(handle.read(), password=None)
        return ca_key, cert
    os.makedirs(pki_dir, mode=0o755, exist_ok=True)
    ca_key, cert = pki.make_ca("kubernetes", "rsa2048")
    with open(crt, "wb") as handle:
        handle.write(pki.cert_pem(cert))
    fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pki.key_pem(ca_key))
    return ca_key, cert


def main(argv=None):
    parser = argparse.ArgumentParser(description="Kubernetes API emulator (test equipment)")
    parser.add_argument("--pki-dir", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6443)
    parser.add_argument("--state", help="JSON snapshot file: objects survive restarts")
    parser.add_argument("--admin-kubeconfig", help="write an admin kubeconfig (0600) here")
    parser.add_argument("--server-name", action="append", default=[], help="extra DNS name or IP in the serving cert")
    parser.add_argument("--tls-cert-file", help="serving certificate (kubeadm's apiserver.crt); generated when absent")
    parser.add_argument("--tls-private-key-file", help="its key")
    parser.add_argument("--kubernetes-version", help="what /version reports (e.g. 1.36.4)")
    parser.add_argument("--controllers", action="store_true",
                        help="run the csrapprover for kubelet client certificates (as kube-controller-manager)")
    parser.add_argument("--service-account-signing-key-file",
                        help="private key service-account tokens are signed and checked with (kubeadm's sa.key)")
    parser.add_argument("--service-account-issuer", help="issuer (and default audience) of bound tokens")
    parser.add_argument("--cluster-cidr", help="kube-controller-manager's pod network: each Node gets a /24 of it")
    args = parser.parse_args(argv)
    sa_key = None
    if args.service_account_signing_key_file and os.path.exists(args.service_account_signing_key_file):
        with open(args.service_account_signing_key_file, "rb") as handle:
            sa_key = serialization.load_pem_private_key(handle.read(), password=None)

    ca_key, ca_cert = load_or_create_ca(args.pki_dir)
    serving = (args.tls_cert_file, args.tls_private_key_file) if args.tls_cert_file else None
    emu = Emulator(args.host, args.port, ca_key, ca_cert, server_names=["localhost", "kubernetes"] + args.server_name,
                   state_file=args.state, serving_files=serving, version=args.kubernetes_version,
                   controllers=args.controllers, sa_key=sa_key, sa_issuer=args.service_account_issuer,
                   cluster_cidr=args.cluster_cidr or None)
    if args.admin_kubeconfig:
        os.makedirs(os.path.dirname(os.path.abspath(args.admin_kubeconfig)), exist_ok=True)
        emu.kubeconfig(path=args.admin_kubeconfig)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("serving on %s" % emu.url, flush=True)
    try:
        emu.serve_forever()
    finally:
        emu.store.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
