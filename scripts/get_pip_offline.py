"""Offline stand-in for ansible-test's get-pip bootstrap script.

ansible-test downloads get-pip-<version>.py into a fresh venv that has no pip; that host is not
reachable here. This script gives the venv the pip bundled with CPython (ensurepip) and lets it
install the packages ansible-test asked for from the configured package index.
"""
import ensurepip
import os
import subprocess
import sys

GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}

saved_env = dict(os.environ)
ensurepip.bootstrap(upgrade=True)  # sets PIP_CONFIG_FILE=/dev/null in os.environ ...
os.environ.clear()
os.environ.update(saved_env)  # ... restore it, or pip.conf (index, certificates) would be ignored
args = [a for a in sys.argv[1:] if a not in GET_PIP_ONLY]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args))
