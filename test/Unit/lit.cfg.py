# -*- Python -*-
# lit configuration for mc's GoogleTest unit tests (binaries under
# build/unittests whose names end in "Tests").

import os

import lit.formats

config.name = "MC-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.mc_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
