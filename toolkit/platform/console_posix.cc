#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "toolkit/platform/console.h"

namespace otharden {
namespace {

// A passphrase longer than this is a mistake (minisign reads at most 1023 bytes).
constexpr size_t kMaxLineBytes = 4096;

// Signals that would otherwise leave the terminal without echo: they are caught
// while echo is off, the terminal is restored, then the signal is raised again.
constexpr int kSignals[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU};
volatile sig_atomic_t g_caught_signal = 0;

void CatchSignal(int signal_number) { g_caught_signal = signal_number; }

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

Result<std::string> ReadTerminalLine(const std::string& prompt, bool echo) {
  const int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (tty < 0) {
    return Status::NotSupported(std::string("no terminal to ask on (/dev/tty: ") +
                                std::strerror(errno) + ")");
  }
  termios saved;
  if (tcgetattr(tty, &saved) != 0) {
    close(tty);
    return Status::NotSupported("no terminal to ask on (/dev/tty is not a terminal)");
  }

  struct sigaction catcher = {};
  catcher.sa_handler = CatchSignal;
  sigemptyset(&catcher.sa_mask);
  catcher.sa_flags = 0;  // no SA_RESTART: read() must return EINTR
  struct sigaction previous[sizeof kSignals / sizeof kSignals[0]];
  g_caught_signal = 0;
  for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i) {
    sigaction(kSignals[i], &catcher, &previous[i]);
  }

  WriteAll(tty, prompt.data(), prompt.size());
  termios quiet = saved;
  if (!echo) quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ICANON;
  tcsetattr(tty, TCSAFLUSH, &quiet);

  std::string line;
  line.reserve(kMaxLineBytes + 1);  // no reallocation leaves copies behind
  bool too_long = false, failed = false;
  for (;;) {
    char c;
    const ssize_t n = read(tty, &c, 1);
    if (n < 0 && errno == EINTR && g_caught_signal == 0) continue;
    if (n <= 0) {
      failed = n < 0 || line.empty();
      break;
    }
    if (c == '\n') break;
    if (line.size() < kMaxLineBytes) {
      line += c;
    } else {
      too_long = true;
    }
    c = 0;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();

  tcsetattr(tty, TCSAFLUSH, &saved);
  if (!echo) WriteAll(tty, "\n", 1);  // the Enter the user typed was not echoed
  close(tty);
  for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i) {
    sigaction(kSignals[i], &previous[i], nullptr);
  }

  const int caught = g_caught_signal;
  if (caught != 0 || failed || too_long) {
    line.resize(line.capacity());
    explicit_bzero(&line[0], line.size());
    line.clear();
    if (caught != 0) {
      raise(caught);  // with the previous handler back; usually ends the process
      return Status::IoError("reading the passphrase was interrupted");
    }
    if (too_long) {
      return Status::InvalidInput("the line typed is longer than " + std::to_string(kMaxLineBytes) +
                                  " bytes");
    }
    return Status::IoError("reading from the terminal failed (end of input)");
  }
  return line;
}

}  // namespace

Result<std::string> ReadLineWithoutEcho(const std::string& prompt) { return ReadTerminalLine(prompt, false); }

Result<std::string> ReadConsoleLine(const std::string& prompt) { return ReadTerminalLine(prompt, true); }

}  // namespace otharden
