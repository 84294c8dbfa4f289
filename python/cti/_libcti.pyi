# SPDX-License-Identifier: LGPL-2.1-or-later
# The cffi extension built by python/build_ffi.py from lib/cti.h and
# lib/cti_card.h: `lib` holds every function and constant of the headers.
from typing import Any

ffi: Any
lib: Any
