"""Presence shared across processes: every console counts every phone, whichever process holds it."""

import time

from fabrique.presence import LocalPresence, RedisPresence


def test_two_processes_count_each_others_phones_once_per_person(redis_url):
    first, second = RedisPresence(redis_url), RedisPresence(redis_url)
    for process in (first, second):
        process.start(lambda fn, *args: None, time.sleep)  # heartbeat renewed by hand below
    first.add("sid-a", 7, 1)
    second.add("sid-b", 7, 2)
    second.add("sid-c", 7, 1)  # the same person on a second phone
    second.add("sid-d", 8, 3)  # another atelier
    assert first.online(7) == second.online(7) == {1, 2}
    assert second.remove("sid-b") == (7, 2)
    assert first.online(7) == {1}
    assert (first.connections(), second.connections()) == (1, 2)


def test_a_killed_process_stops_counting_when_its_heartbeat_expires(redis_url):
    survivor, killed = RedisPresence(redis_url), RedisPresence(redis_url)
    for process in (survivor, killed):
        process.start(lambda fn, *args: None, time.sleep)
    killed.add("sid-x", 9, 5)
    survivor.add("sid-y", 9, 6)
    assert survivor.online(9) == {5, 6}
    survivor._redis.delete(killed._process_key(killed.process))  # what the TTL does after a kill -9
    assert survivor.online(9) == {6}
    assert survivor._redis.hlen(survivor._atelier_key(9)) == 1  # the dead process's entries are cleared


def test_one_process_counts_in_memory():
    presence = LocalPresence()
    presence.add("s1", 1, 10)
    presence.add("s2", 1, 10)
    assert presence.online(1) == {10} and presence.connections() == 2


def test_health_answers_with_the_database_and_this_process_s_phones(client):
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.get_json()["status"] == "ok" and answer.get_json()["connections"] == 0
