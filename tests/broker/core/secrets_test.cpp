// Random bytes: the asked length, no repeats across a pool's refills or
// between threads, and a forked child never hands out what its parent will.

#include "core/secrets.h"

#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <thread>

#include <doctest/doctest.h>

namespace passerelle {
namespace {

TEST_CASE("random bytes: the asked length, small and large, never repeated") {
  for (size_t n : {0, 1, 16, 32, 64, 65, 600, 5000}) CHECK(random_bytes(n).size() == n);
  // Far more than one pool's worth of small draws: none repeats.
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) seen.insert(random_bytes(16));
  CHECK(seen.size() == 2000);
  CHECK(random_token().size() == 43);
}

TEST_CASE("random bytes: two threads draw different bytes") {
  std::string mine = random_bytes(32);
  std::string theirs;
  std::thread other([&theirs] { theirs = random_bytes(32); });
  other.join();
  CHECK(theirs.size() == 32);
  CHECK(theirs != mine);
  CHECK(random_bytes(32) != theirs);
}

// Forks and draws on a new thread, whose pool starts empty: after its first
// small draw the pool holds plenty not handed out yet, whatever other tests
// drew before.
TEST_CASE("random bytes: a forked child does not hand out what its parent will") {
  std::string parents, childs(32, '\0');
  ssize_t got = -1;
  int status = 0;
  std::thread forker([&] {
    random_bytes(16);
    int pipe_ends[2];
    if (pipe(pipe_ends) != 0) return;
    pid_t child = fork();
    if (child == 0) {
      std::string drawn = random_bytes(32);
      ssize_t written = write(pipe_ends[1], drawn.data(), drawn.size());
      _exit(written == 32 ? 0 : 1);
    }
    close(pipe_ends[1]);
    parents = random_bytes(32);
    if (child > 0) {
      got = read(pipe_ends[0], childs.data(), childs.size());
      waitpid(child, &status, 0);
    }
    close(pipe_ends[0]);
  });
  forker.join();
  REQUIRE(got == 32);
  CHECK(WIFEXITED(status));
  CHECK(childs != parents);
}

}  // namespace
}  // namespace passerelle
