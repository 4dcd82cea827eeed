#include "engine/serial_task_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace tgcalls {
namespace {

using namespace std::chrono_literals;

// Counts how many of its copies were destroyed without the task having run.
struct DestructionProbe {
  std::atomic<int>* destroyedUnrun;
  bool ran = false;
  explicit DestructionProbe(std::atomic<int>* counter) : destroyedUnrun(counter) {}
  DestructionProbe(DestructionProbe&& other) noexcept
      : destroyedUnrun(std::exchange(other.destroyedUnrun, nullptr)), ran(other.ran) {}
  ~DestructionProbe() {
    if (destroyedUnrun != nullptr && !ran) ++*destroyedUnrun;
  }
};

TEST(SerialTaskPool, RunsEachStrandsTasksInOrderAndNeverTwoAtOnce) {
  SerialTaskPool pool(4, "test-pool");
  constexpr int kStrands = 8;
  constexpr int kTasksPerStrand = 2000;
  std::vector<SerialTaskPool::Strand*> strands;
  std::vector<std::vector<int>> seen(kStrands);
  std::vector<std::atomic<int>> inside(kStrands);
  std::atomic<int> overlaps{0};
  std::atomic<int> done{0};
  for (int s = 0; s < kStrands; ++s) strands.push_back(pool.createStrand());
  // Two posting threads per strand would break the order; one thread per strand, all at once.
  std::vector<std::thread> posters;
  for (int s = 0; s < kStrands; ++s) {
    posters.emplace_back([&, s] {
      for (int i = 0; i < kTasksPerStrand; ++i) {
        pool.post(strands[s], makePooledTask([&, s, i] {
                    if (inside[s].fetch_add(1) != 0) ++overlaps;
                    seen[s].push_back(i);
                    inside[s].fetch_sub(1);
                    ++done;
                  }));
      }
    });
  }
  for (std::thread& poster : posters) poster.join();
  while (done.load() < kStrands * kTasksPerStrand) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(overlaps.load(), 0);
  for (int s = 0; s < kStrands; ++s) {
    ASSERT_EQ(seen[s].size(), static_cast<size_t>(kTasksPerStrand));
    for (int i = 0; i < kTasksPerStrand; ++i) ASSERT_EQ(seen[s][i], i);
    pool.deleteStrand(strands[s]);
  }
  EXPECT_EQ(pool.liveStrands(), 0u);
}

TEST(SerialTaskPool, RunsDifferentStrandsInParallel) {
  SerialTaskPool pool(2, "test-pool");
  SerialTaskPool::Strand* a = pool.createStrand();
  SerialTaskPool::Strand* b = pool.createStrand();
  std::promise<void> bRan;
  std::future<void> bRanFuture = bRan.get_future();
  std::promise<bool> aSawB;
  // A's task waits for B's: it only finishes if B runs on the other thread meanwhile.
  pool.post(a, makePooledTask(
                   [&] { aSawB.set_value(bRanFuture.wait_for(5s) == std::future_status::ready); }));
  pool.post(b, makePooledTask([&] { bRan.set_value(); }));
  EXPECT_TRUE(aSawB.get_future().get());
  pool.deleteStrand(a);
  pool.deleteStrand(b);
}

TEST(SerialTaskPool, RunsDelayedTasksByDeadlineAndEqualDeadlinesInPostingOrder) {
  SerialTaskPool pool(2, "test-pool");
  SerialTaskPool::Strand* strand = pool.createStrand();
  std::mutex mutex;
  std::vector<int> order;
  std::promise<void> last;
  auto record = [&](int value) {
    return makePooledTask([&, value] {
      std::lock_guard<std::mutex> lock(mutex);
      order.push_back(value);
      if (order.size() == 5) last.set_value();
    });
  };
  auto start = SerialTaskPool::Clock::now();
  pool.postDelayed(strand, record(3), 60ms);
  pool.postDelayed(strand, record(1), 20ms);
  pool.postDelayed(strand, record(2), 20ms);
  pool.post(strand, record(0));
  pool.postDelayed(strand, record(4), 90ms);
  ASSERT_EQ(last.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_GE(SerialTaskPool::Clock::now() - start, 90ms);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  pool.deleteStrand(strand);
}

TEST(SerialTaskPool, AnEarlierTimerWakesTheWorkerWaitingForALaterOne) {
  SerialTaskPool pool(1, "test-pool");
  SerialTaskPool::Strand* strand = pool.createStrand();
  std::atomic<int> discarded{0};
  pool.postDelayed(strand, makePooledTask([probe = DestructionProbe(&discarded)] {}), 10s);
  std::this_thread::sleep_for(20ms);  // the only worker now sleeps until the 10 s deadline
  std::promise<void> early;
  auto posted = SerialTaskPool::Clock::now();
  pool.postDelayed(strand, makePooledTask([&] { early.set_value(); }), 30ms);
  ASSERT_EQ(early.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_LT(SerialTaskPool::Clock::now() - posted, 5s);
  pool.deleteStrand(strand);
  EXPECT_EQ(discarded.load(), 1);  // the 10 s task was destroyed, not run
}

TEST(SerialTaskPool, DeletingWaitsForTheRunningTaskAndDiscardsThePendingOnes) {
  SerialTaskPool pool(2, "test-pool");
  SerialTaskPool::Strand* strand = pool.createStrand();
  std::promise<void> started;
  std::atomic<bool> finished{false};
  std::atomic<int> discarded{0};
  pool.post(strand, makePooledTask([&] {
              started.set_value();
              std::this_thread::sleep_for(100ms);
              finished = true;
            }));
  pool.post(strand,
            makePooledTask([probe = DestructionProbe(&discarded)]() mutable { probe.ran = true; }));
  pool.postDelayed(
      strand,
      makePooledTask([probe = DestructionProbe(&discarded)]() mutable { probe.ran = true; }), 50ms);
  started.get_future().wait();
  pool.deleteStrand(strand);
  EXPECT_TRUE(finished.load());
  EXPECT_EQ(discarded.load(), 2);
  EXPECT_EQ(pool.liveStrands(), 0u);
}

TEST(SerialTaskPool, AStrandCanDeleteItselfFromItsOwnTask) {
  SerialTaskPool pool(2, "test-pool");
  SerialTaskPool::Strand* strand = pool.createStrand();
  std::promise<bool> wasCurrent;
  pool.post(strand, makePooledTask([&] {
              bool current = SerialTaskPool::currentStrand() == strand;
              pool.deleteStrand(strand);
              wasCurrent.set_value(current);
            }));
  EXPECT_TRUE(wasCurrent.get_future().get());
  for (int i = 0; i < 500 && pool.liveStrands() != 0; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(pool.liveStrands(), 0u);
  EXPECT_EQ(SerialTaskPool::currentStrand(), nullptr);
}

TEST(SerialTaskPool, ADiscardedTaskMayPostFromItsDestructor) {
  SerialTaskPool pool(2, "test-pool");
  SerialTaskPool::Strand* doomed = pool.createStrand();
  SerialTaskPool::Strand* other = pool.createStrand();
  std::promise<void> postedFromDestructor;
  struct PostsWhenDestroyed {
    SerialTaskPool* pool;
    SerialTaskPool::Strand* target;
    std::promise<void>* signal;
    PostsWhenDestroyed(SerialTaskPool* p, SerialTaskPool::Strand* t, std::promise<void>* s)
        : pool(p), target(t), signal(s) {}
    PostsWhenDestroyed(PostsWhenDestroyed&& other) noexcept
        : pool(other.pool), target(other.target), signal(std::exchange(other.signal, nullptr)) {}
    ~PostsWhenDestroyed() {
      if (signal != nullptr) pool->post(target, makePooledTask([s = signal] { s->set_value(); }));
    }
  };
  pool.postDelayed(
      doomed, makePooledTask([guard = PostsWhenDestroyed(&pool, other, &postedFromDestructor)] {}),
      10s);
  pool.deleteStrand(doomed);
  EXPECT_EQ(postedFromDestructor.get_future().wait_for(5s), std::future_status::ready);
  pool.deleteStrand(other);
}

TEST(SerialTaskPool, AThousandStrandsShareTheSameFewThreads) {
  SerialTaskPool pool(2, "test-pool");
  std::vector<SerialTaskPool::Strand*> strands;
  std::atomic<int> ran{0};
  std::mutex mutex;
  std::vector<std::thread::id> threadIds;
  for (int i = 0; i < 1000; ++i) strands.push_back(pool.createStrand());
  for (SerialTaskPool::Strand* strand : strands) {
    pool.postDelayed(strand, makePooledTask([&] {
                       std::lock_guard<std::mutex> lock(mutex);
                       if (std::find(threadIds.begin(), threadIds.end(),
                                     std::this_thread::get_id()) == threadIds.end()) {
                         threadIds.push_back(std::this_thread::get_id());
                       }
                       ++ran;
                     }),
                     5ms);
  }
  while (ran.load() < 1000) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(pool.threadCount(), 2u);
  EXPECT_LE(threadIds.size(), 2u);
  for (SerialTaskPool::Strand* strand : strands) pool.deleteStrand(strand);
  EXPECT_EQ(pool.liveStrands(), 0u);
}

TEST(SerialTaskPool, PostingManyTimersWhileAWorkerWaitsForOneIsSafe) {
  // The waiting worker must not hold on to a deadline inside the timer heap, whose storage
  // moves as timers are added (caught by AddressSanitizer in the addon).
  SerialTaskPool pool(1, "test-pool");
  SerialTaskPool::Strand* strand = pool.createStrand();
  std::atomic<int> ran{0};
  pool.postDelayed(strand, makePooledTask([&] { ++ran; }), 30ms);
  std::this_thread::sleep_for(5ms);  // the only worker now waits for the 30 ms deadline
  for (int i = 0; i < 5000; ++i) pool.postDelayed(strand, makePooledTask([&] { ++ran; }), 40ms);
  for (int i = 0; i < 2000 && ran.load() < 5001; ++i) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(ran.load(), 5001);
  pool.deleteStrand(strand);
}

}  // namespace
}  // namespace tgcalls
