"""Run a module's main() in-process, capturing exit_json/fail_json (ansible-core 2.19 style)."""

import json

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes


class ModuleExit(Exception):
    pass


class ModuleFail(Exception):
    pass


def _exit(self, **kwargs):
    kwargs.setdefault("changed", False)
    raise ModuleExit(kwargs)


def _fail(self, msg, **kwargs):
    kwargs.update(failed=True, msg=msg)
    raise ModuleFail(kwargs)


def run(module, args, check_mode=False, monkeypatch=None):
    """Return the result dict; failures come back with failed=True."""
    args = dict(args)
    if check_mode:
        args["_ansible_check_mode"] = True
    patcher = monkeypatch or pytest.MonkeyPatch()
    patcher.setattr(basic.AnsibleModule, "exit_json", _exit)
    patcher.setattr(basic.AnsibleModule, "fail_json", _fail)
    try:
        from ansible.module_utils.testing import patch_module_args
    except ImportError:  # ansible-core < 2.19
        patch_module_args = None
    try:
        if patch_module_args is not None:
            with patch_module_args(args):
                module.main()
        else:
            basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
            module.main()
    except ModuleExit as done:
        return done.args[0]
    except ModuleFail as failed:
        return failed.args[0]
    finally:
        if monkeypatch is None:
            patcher.undo()
    raise AssertionError("module returned without exit_json/fail_json")
