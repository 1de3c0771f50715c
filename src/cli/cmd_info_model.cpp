// `ser info MODEL`: feature config/set, classes, layers and training metadata of a SERMODEL file.
// Registered with cmd_info.cpp through info_hooks.h (magic "SERMODEL"); thin front end over model.h.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "eval_common.h"
#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"
#include "info_hooks.h"
#include "ser/model/model.h"
#include "ser/classify/classifier.h"

namespace ser::cli {
namespace {

int print_model_info(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    Result<Model> r = parse_model(bytes.data(), bytes.size());
    if (!r) {
        std::fprintf(stderr, "ser info: %s: %s\n", path.c_str(), r.status.to_string().c_str());
        return kExitFailed;
    }
    const Model& m = r.value;
    std::printf("%s: ser model (SERMODEL), %zu bytes\n", path.c_str(), bytes.size());
    auto cfg = config_by_name(m.feature_config);
    std::printf("  feature config  %s v%d%s\n", m.feature_config.c_str(), m.feature_config_version,
                cfg ? ("  [" + cfg.value.describe() + "]").c_str() : "  [not provided by this build]");
    auto set = feature_set_by_name(m.feature_set);
    std::printf("  feature set     %s v%d, %d inputs%s\n", m.feature_set.c_str(), m.feature_set_version, m.n_inputs(),
                set ? ("  [" + set.value.summary + "]").c_str() : "  [not provided by this build]");
    std::printf("  classes         ");
    for (std::size_t c = 0; c < m.classes.size(); ++c) std::printf("%s%s", c ? ", " : "", m.classes[c].c_str());
    std::printf("\n  layers          %d", m.n_inputs());
    long long n_params = 0;
    for (std::size_t l = 0; l < m.layers.size(); ++l) {
        std::printf(" -> %d %s", int(m.layers[l].weights.rows()), l + 1 < m.layers.size() ? "ReLU" : "softmax");
        n_params += m.layers[l].weights.size() + m.layers[l].bias.size();
    }
    std::printf("  (%lld parameters, standardised inputs)\n", n_params);
    Classifier check(m);
    std::printf("  usable here     %s\n", check.status() ? "yes" : check.status().to_string().c_str());
    auto meta = nlohmann::ordered_json::parse(m.metadata_json, nullptr, false);
    if (meta.is_object() && !meta.empty()) {
        std::printf("  metadata\n");
        for (auto it = meta.begin(); it != meta.end(); ++it) {
            if (it.key() == "history") {
                if (it->is_object() && it->contains("train_loss") && (*it)["train_loss"].is_array())
                    std::printf("    %-16s %zu epochs (train/validation loss and accuracy; `ser eval --plots` draws them)\n",
                                "history", (*it)["train_loss"].size());
                continue;
            }
            if (it.key() == "figures" && it->is_object()) {
                const auto figures = model_figures(m.metadata_json);
                for (auto f = it->begin(); f != it->end(); ++f) {
                    const ModelFigure* fig = nullptr;
                    for (const auto& x : figures)
                        if (!x.flat && x.protocol == f.key()) fig = &x;
                    if (fig) {
                        std::printf("    %-16s accuracy %s, UAR %s, macro-F1 %s%s\n", f.key().c_str(),
                                    percent(fig->accuracy).c_str(), percent(fig->uar).c_str(),
                                    percent(fig->macro_f1).c_str(), fig->is_mean ? " (mean over folds/seeds)" : "");
                    } else {
                        std::printf("    %-16s %s\n", f.key().c_str(),
                                    f.value().dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
                    }
                }
                continue;
            }
            std::string v = it->is_string() ? it->get<std::string>()
                                            : it->dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
            if (v.size() > 400) v = v.substr(0, 400) + "...";
            std::printf("    %-16s %s\n", it.key().c_str(), v.c_str());
        }
    }
    return check.status() ? kExitOk : kExitFailed;
}

const InfoRegistration info_reg{"SERMODEL", print_model_info};

}  // namespace
}  // namespace ser::cli
