"""Test PKI built with `cryptography`: CAs of every key type kubeadm can use, leaf certificates,
and CSRs shaped like (or deliberately unlike) what a kubelet submits."""

import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_TYPES = ("rsa2048", "rsa3072", "rsa4096", "p256", "p384")


def new_key(key_type="p256"):
    if key_type.startswith("rsa"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(key_type[3:]))
    curve = {"p256": ec.SECP256R1(), "p384": ec.SECP384R1()}[key_type]
    return ec.generate_private_key(curve)


def _name(cn, orgs=()):
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    if cn is not None:
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def make_ca(cn="kubernetes", key_type="rsa2048", days=3650, is_ca=True, key=None):
    """A self-signed certificate; a CA (as kubeadm makes it) unless ``is_ca`` is False."""
    key = key or new_key(key_type)
    now = _now()
    builder = (x509.CertificateBuilder()
               .subject_name(_name(cn)).issuer_name(_name(cn))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=days)))
    if is_ca:
        builder = (builder
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .add_extension(x509.KeyUsage(True, False, True, False, False, True, False, False, False), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    else:
        builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    return key, builder.sign(key, hashes.SHA256())


def _sans(dns=(), ips=(), emails=(), uris=()):
    names = [x509.DNSName(d) for d in dns]
    names += [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    names += [x509.RFC822Name(e) for e in emails]
    names += [x509.UniformResourceIdentifier(u) for u in uris]
    return names


def issue(ca_key, ca_cert, cn, orgs=(), dns=(), ips=(), server=True, client=False, seconds=365 * 86400,
          public_key=None, key_type="p256"):
    """A leaf certificate signed by the CA; returns (key or None, cert)."""
    key = None
    if public_key is None:
        key = new_key(key_type)
        public_key = key.public_key()
    now = _now()
    ekus = ([ExtendedKeyUsageOID.SERVER_AUTH] if server else []) + ([ExtendedKeyUsageOID.CLIENT_AUTH] if client else [])
    key_encipherment = isinstance(public_key, rsa.RSAPublicKey)
    builder = (x509.CertificateBuilder()
               .subject_name(_name(cn, orgs)).issuer_name(ca_cert.subject)
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(seconds=seconds))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(True, False, key_encipherment, False, False, False, False, False, False),
                              critical=True)
               .add_extension(x509.ExtendedKeyUsage(ekus), critical=False))
    names = _sans(dns, ips)
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return key, builder.sign(ca_key, hashes.SHA256())


def make_csr(cn, orgs=("system:nodes",), dns=(), ips=(), emails=(), uris=(), key=None, extra_subject=(),
             extensions=()):
    """A PEM CSR; the kubelet's own uses a P-256 key, CN system:node:<name>, O system:nodes.
    ``extensions``: more (extension, critical) pairs to request (forgeries ask for CA ones)."""
    key = key or new_key("p256")
    attrs = list(_name(cn, orgs)) + [x509.NameAttribute(oid, value) for oid, value in extra_subject]
    builder = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(attrs))
    names = _sans(dns, ips, emails, uris)
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return key, builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def sign_csr(ca_key, ca_cert, csr_pem, usages, seconds):
    """What the kubelet-serving signer does with an approved CSR: copy subject and DNS/IP SANs."""
    request = x509.load_pem_x509_csr(csr_pem)
    try:
        sans = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = sans.get_values_for_type(x509.DNSName)
        ips = [str(i) for i in sans.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        dns, ips = [], []
    cn = request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    orgs = [a.value for a in request.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    _key, cert = issue(ca_key, ca_cert, cn[0].value if cn else "", orgs, dns, ips,
                       server="server auth" in usages, client="client auth" in usages,
                       seconds=seconds, public_key=request.public_key())
    return cert
