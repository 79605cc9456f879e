"""Calls the ABI of a --target=cuda model library through ctypes with bad
arguments and, where no driver is found, with good ones; prints each status
and message. Usage: cuda_abi_calls.py LIB.so (model: one float input
[batch, 1, 28, 28], one output)."""

import ctypes
import sys

lib = ctypes.CDLL(sys.argv[1])
lib.mc_last_error.restype = ctypes.c_char_p
run = lib.mc_model_run
run_device = lib.mc_model_run_device
for f in (run, run_device):
    f.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]

x = (ctypes.c_float * (2 * 28 * 28))()
y = (ctypes.c_float * (2 * 10))()
inputs = (ctypes.c_void_p * 1)(ctypes.addressof(x))
outputs = (ctypes.c_void_p * 1)(ctypes.addressof(y))


def show(what, status):
    print("%s = %d: %s" % (what, status, lib.mc_last_error().decode()))


show("mc_model_run(null inputs)", run(None, outputs, 2))
show("mc_model_run(batch 0)", run(inputs, outputs, 0))
show("mc_model_run", run(inputs, outputs, 2))
show("mc_model_run_device", run_device(inputs, outputs, 2))
