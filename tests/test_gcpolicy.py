"""The collector is paused only while the data is loaded and generated, then left as it was."""

import gc

from gallery.data.gcpolicy import bulk_allocation


def test_collector_is_paused_inside_and_resumed_after():
    assert gc.isenabled()
    with bulk_allocation():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_stays_off_for_a_caller_who_had_it_off():
    gc.disable()
    try:
        with bulk_allocation():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_resumes_when_the_work_raises():
    try:
        with bulk_allocation():
            raise ValueError("bad data")
    except ValueError:
        pass
    assert gc.isenabled()


def test_objects_allocated_inside_leave_the_young_generations():
    with bulk_allocation():
        kept = [[index] for index in range(10_000)]
    assert gc.get_count()[0] < 10_000
    assert len(kept) == 10_000
