// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sim provider's ops table: the glue between the host (ctid, or the
 * fake host of the unit tests) and the PBX model in the other files.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

void sim_tmr_arm(struct sim *sim, struct sim_tmr *tmr, uint64_t ms)
{
	int64_t id;

	sim_tmr_cancel(sim, tmr);
	id = sim->api->timer_start(sim->host, ms, (uint64_t)(uintptr_t)tmr);
	if (id <= 0) {
		/* The step it would run is lost; say so rather than hang. */
		sim_log(sim, CTI_LOG_ERR, "timer_start: %lld", (long long)id);
		return;
	}
	tmr->id = id;
}

void sim_tmr_cancel(struct sim *sim, struct sim_tmr *tmr)
{
	if (!tmr->id)
		return;
	sim->api->timer_cancel(sim->host, tmr->id);
	tmr->id = 0;
}

static void sim_timer(void *state, int64_t timer_id, uint64_t cookie)
{
	struct sim *sim = state;
	struct sim_tmr *tmr = (struct sim_tmr *)(uintptr_t)cookie;

	/* Owners cancel before they free, so a stale id is a host bug. */
	if (!tmr || tmr->id != timer_id) {
		sim_log(sim, CTI_LOG_WARNING, "unexpected timer %lld",
			(long long)timer_id);
		return;
	}
	tmr->id = 0;
	tmr->fn(sim, tmr);
}

static void sim_destroy(struct sim *sim)
{
	struct sim_inbound *in;
	uint32_t i;

	sim_lines_free(sim);
	if (sim->park) {
		for (i = 0; i < sim->cfg.park_slots; i++)
			if (sim->park[i].fe)
				sim_farend_free(sim, sim->park[i].fe);
		free(sim->park);
	}
	for (in = sim->cfg.inbound; in; in = in->next)
		sim_tmr_cancel(sim, &in->tmr);
	sim_event_free(sim);
	sim_config_free(&sim->cfg);
	free(sim);
}

static int sim_check_config(const struct cti_host_api *api,
			    struct cti_host *host,
			    const struct cti_provider_config *pc)
{
	struct sim_config cfg;
	int ret = sim_config_parse(&cfg, api, host, pc);

	if (!ret)
		sim_config_free(&cfg);
	return ret;
}

static int sim_init(const struct cti_host_api *api, struct cti_host *host,
		    const struct cti_provider_config *pc, void **state)
{
	struct sim *sim;
	int ret;

	if (!CTI_HOST_API_HAS(api, timer_cancel))
		return -EINVAL;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return -ENOMEM;
	sim->api = api;
	sim->host = host;
	sim_event_init(sim);
	ret = sim_config_parse(&sim->cfg, api, host, pc);
	if (ret) {
		free(sim);
		return ret;
	}
	if (sim->cfg.park_slots) {
		sim->park = calloc(sim->cfg.park_slots, sizeof(*sim->park));
		if (!sim->park) {
			ret = -ENOMEM;
			goto err;
		}
	}
	ret = sim_lines_init(sim);
	if (ret)
		goto err;
	sim_inbound_arm(sim);
	sim_log(sim, CTI_LOG_INFO, "%u lines", sim->cfg.lines);
	*state = sim;
	return 0;
err:
	sim_destroy(sim);
	return ret;
}

/* The sim holds no request past submit: nothing to complete here. */
static void sim_shutdown(void *state)
{
	sim_destroy(state);
}

static bool sim_phone_op(uint32_t cmd)
{
	return cmd == CTI_CMD_SET_HOOK || cmd == CTI_CMD_SET_DISPLAY ||
	       cmd == CTI_CMD_SET_LAMP || cmd == CTI_CMD_SET_RING;
}

static int sim_submit(void *state, const struct cti_provider_request *req)
{
	struct sim *sim = state;
	struct cti_provider_request r = *req;
	uint32_t call = CTI_CALL_NONE;
	int ret;

	if (r.line >= sim->cfg.lines || sim->lines[r.line].unplugged)
		return -ENODEV;
	if (!r.data) {
		if (r.data_len)
			return -EINVAL;
		r.data = "";
	}
	/* Every sim command takes text: a NUL inside it is malformed. */
	if (r.data_len > CTI_DATA_MAX || memchr(r.data, '\0', r.data_len))
		return -EINVAL;

	if (r.cmd >= CTI_UCMD_BASE)
		ret = sim_agent_cmd(sim, &r);
	else if (sim_phone_op(r.cmd))
		ret = sim_phone_cmd(sim, &r);
	else if (r.cmd == CTI_CMD_DEV_SPECIFIC)
		ret = sim_dev_specific(sim, &r);
	else if (r.cmd == CTI_CMD_SEND_LINK_FRAME || r.cmd >= CTI_CMD_MAX)
		ret = -EOPNOTSUPP;
	else
		ret = sim_callctl(sim, &r, &call);

	if (ret < 0)
		return ret;
	/* Every command completes at once; its records follow from a timer. */
	sim->api->complete(sim->host, r.handle, 0, call);
	return 0;
}

CTI_PROVIDER_EXPORT const struct cti_provider_ops cti_provider_ops = {
	.abi_version = CTI_PROVIDER_ABI_VERSION,
	.size = sizeof(struct cti_provider_ops),
	.name = "sim",
	.description = "built-in virtual PBX",
	.check_config = sim_check_config,
	.init = sim_init,
	.shutdown = sim_shutdown,
	.submit = sim_submit,
	.timer = sim_timer,
};
