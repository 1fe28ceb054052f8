"""``streamlit run`` with cProfile in every thread; the merged stats go to ``$KTMSC_PROFILE_OUT`` at exit.

Used by ``python -m benchmarks.profiling``. Profiling starts on SIGUSR1 (after the warm-up
runs, so imports and first-run caches stay out): from then on the event-loop thread and
every new script-runner thread (Streamlit starts one per run) get their own profiler. At
exit (SIGTERM stops Streamlit cleanly) they are merged. Times are wall-clock per thread,
so a thread waiting for the GIL shows that wait in the function it waits in.
"""

import atexit
import cProfile
import os
import pstats
import signal
import sys
import threading

_profiles: list[cProfile.Profile] = []
_lock = threading.Lock()
_started = threading.Event()


def _start_thread_profile(*_args: object) -> None:
    sys.setprofile(None)
    if not _started.is_set():
        return
    profile = cProfile.Profile()
    with _lock:
        _profiles.append(profile)
    profile.enable()


def _dump() -> None:
    main.disable()
    stats = None
    for profile in list(_profiles):
        try:
            profile.create_stats()
        except Exception:  # a thread that never ran Python code
            continue
        if stats is None:
            stats = pstats.Stats(profile)
        else:
            stats.add(profile)
    if stats is not None:
        stats.dump_stats(os.environ["KTMSC_PROFILE_OUT"])


def _start(*_args: object) -> None:
    _started.set()
    main.enable()  # signal handlers run in the main thread: the event loop's


threading.setprofile(_start_thread_profile)
main = cProfile.Profile()
_profiles.append(main)
signal.signal(signal.SIGUSR1, _start)
atexit.register(_dump)

if __name__ == "__main__":
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *sys.argv[1:]]
    streamlit_main()
