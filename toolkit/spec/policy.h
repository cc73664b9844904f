// Compliance policies (policies/*.xml) as a validated model. The policy carries
// all the Windows facts a check relies on -- KB numbers, rollup months, kernel
// revisions and their sources -- so none of them live in C++.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/os_identity.h"
#include "toolkit/model/status.h"
#include "toolkit/spec/parameters.h"

namespace otharden {

// A calendar month, e.g. 2019-04.
struct YearMonth {
  int year = 0;
  int month = 0;  // 1..12

  // Accepts exactly "YYYY-MM"; nullopt otherwise.
  static std::optional<YearMonth> Parse(const std::string& text);
  std::string ToString() const;
  int Index() const { return year * 12 + (month - 1); }
  friend bool operator<(const YearMonth& a, const YearMonth& b) { return a.Index() < b.Index(); }
  friend bool operator==(const YearMonth& a, const YearMonth& b) { return a.Index() == b.Index(); }
};

// Where a fact came from and how sure we are of it (H documented / seen in
// several sources, M one good source, L inference), as FACTS.md grades them.
struct Provenance {
  std::string confidence;  // "H", "M" or "L"
  std::string source;
};

// One update that satisfies a requirement.
struct KbEntry {
  std::string kb;  // "KB4474419"
  std::optional<YearMonth> released;
  std::string note;
  Provenance provenance;
};

// "At least one of these updates is present": the first entry is the one a
// technician should install; later entries are updates that replace it.
struct UpdateRequirement {
  std::string id;     // "sha2-signing"
  std::string title;  // "SHA-2 code signing support"
  std::string remedy; // what to install when none is present
  std::vector<KbEntry> kbs;
};

// One monthly rollup in the catalogue: known by its KB, by the ntoskrnl.exe
// version it installs, or both (a row has at least one).
struct RollupEntry {
  YearMonth month;
  std::string kb;  // empty where no public source gives the KB
  // The lowest ntoskrnl.exe file version the rollup installs; nullopt where no
  // public source gives it.
  std::optional<FileVersion> min_kernel;
  std::string note;
  Provenance provenance;
};

// "KB5014010 (2022-05)", or "2026-01 rollup (ntoskrnl 6.0.6003.23717)" without a KB.
std::string RollupLabel(const RollupEntry& rollup);

struct Policy {
  std::string path;   // the file it was read from
  std::string name;   // "esu-6003"
  std::string title;
  std::string description;

  // <os>: the OS the policy applies to.
  uint32_t os_major = 0, os_minor = 0;
  uint16_t service_pack = 0;
  std::vector<ProductType> product_types;
  std::vector<Architecture> architectures;
  std::string os_remedy;

  // <build>: the required build number and what moves a host onto it.
  uint32_t required_build = 0;
  std::string build_remedy;
  Provenance build_provenance;

  std::vector<UpdateRequirement> updates;

  // <rollups>: the catalogue, oldest first; the newest row is the final rollup.
  std::vector<RollupEntry> rollups;
  // A host further behind the final rollup than this fails; nullopt: it only warns.
  std::optional<int> max_months_behind;
  // <rollups not-older-than="YYYY-MM" or "{parameter}">: a host whose newest
  // rollup is older than this fails, whatever max-months-behind says.
  std::optional<YearMonth> min_rollup;

  // <parameters> (month parameters only) and their values for this run.
  std::vector<ProfileParameter> parameters;
  std::vector<ParameterValue> parameter_values;
};

// Reads and validates a policy file. Errors are kInvalidInput "FILE:LINE: problem"
// (or kIoError when unreadable); nothing is half-read. A policy that declares
// parameters takes their values from `given`; a required one missing or a
// malformed value is an error naming it, and so is a given name the policy
// does not declare when `reject_undeclared`.
Result<Policy> LoadPolicyFile(const std::string& path, const std::vector<ParameterArgument>& given = {},
                              bool reject_undeclared = true);
// Same, from text already read; `path` is used in messages.
Result<Policy> ParsePolicy(const std::string& path, const std::string& text,
                           const std::vector<ParameterArgument>& given = {}, bool reject_undeclared = true);

}  // namespace otharden
