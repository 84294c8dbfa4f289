// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * card_info.c - accessors of card descriptions, line and phone infos
 *
 * Values copied from the kernel once (card.c, card_netlink.c) and never
 * changed afterwards, which is what makes them safe to share between
 * threads. The kernel NUL-terminates its strings; the library does not
 * rely on it: the *_seal() functions cut each one at its array's last
 * byte when the value is made, so that the accessors need not check.
 */
#include <errno.h>
#include <stdlib.h>

#include "card_internal.h"

/* A string of a fixed array, cut at its last byte whatever it holds. */
#define FIXED_STR(arr) ((arr)[sizeof(arr) - 1] = '\0', (const char *)(arr))

CTI_API void cti_card_desc_free(struct cti_card_desc *desc)
{
	free(desc);
}

CTI_API uint32_t cti_card_desc_get_index(const struct cti_card_desc *desc)
{
	return desc->info.index;
}

/* The strings are cut when the description is made (cti_card_desc_seal()). */
CTI_API const char *cti_card_desc_get_name(const struct cti_card_desc *desc)
{
	return desc->info.name;
}

CTI_API const char *cti_card_desc_get_driver(const struct cti_card_desc *desc)
{
	return desc->info.driver;
}

CTI_API const char *cti_card_desc_get_vendor(const struct cti_card_desc *desc)
{
	return desc->info.vendor;
}

CTI_API const char *cti_card_desc_get_serial(const struct cti_card_desc *desc)
{
	return desc->info.serial;
}

CTI_API uint64_t cti_card_desc_get_features(const struct cti_card_desc *desc)
{
	return desc->info.features;
}

CTI_API int cti_card_desc_get_lost(const struct cti_card_desc *desc,
				   uint64_t *lostp)
{
	if (!desc->has_lost)
		return -ENODATA;
	*lostp = desc->lost;
	return 0;
}

CTI_API uint64_t cti_card_desc_get_caps(const struct cti_card_desc *desc)
{
	return desc->info.caps;
}

CTI_API uint32_t cti_card_desc_get_num_lines(const struct cti_card_desc *desc)
{
	return desc->info.num_lines;
}

CTI_API uint32_t cti_card_desc_get_num_phones(const struct cti_card_desc *desc)
{
	return desc->info.num_phones;
}

CTI_API uint32_t cti_card_desc_get_link_state(const struct cti_card_desc *desc)
{
	return desc->info.link_state;
}

/**
 * cti_card_desc_seal() - make a freshly filled description safe to read
 * @desc: the description
 */
void cti_card_desc_seal(struct cti_card_desc *desc)
{
	FIXED_STR(desc->info.name);
	FIXED_STR(desc->info.driver);
	FIXED_STR(desc->info.vendor);
	FIXED_STR(desc->info.serial);
}

void cti_card_line_info_seal(struct cti_card_line_info *li)
{
	FIXED_STR(li->info.name);
	for (size_t i = 0; i < CTI_MAX_ADDRESSES; i++)
		FIXED_STR(li->info.addresses[i]);
	if (li->info.num_addresses > CTI_MAX_ADDRESSES)
		li->info.num_addresses = CTI_MAX_ADDRESSES;
}

void cti_card_phone_info_seal(struct cti_card_phone_info *pi)
{
	FIXED_STR(pi->info.name);
}

CTI_API void cti_card_line_info_free(struct cti_card_line_info *info)
{
	free(info);
}

CTI_API uint32_t cti_card_line_info_get_line(
	const struct cti_card_line_info *info)
{
	return info->info.line;
}

CTI_API const char *cti_card_line_info_get_name(
	const struct cti_card_line_info *info)
{
	return info->info.name;
}

CTI_API uint64_t cti_card_line_info_get_ops(
	const struct cti_card_line_info *info)
{
	return info->info.ops;
}

CTI_API uint32_t cti_card_line_info_get_status(
	const struct cti_card_line_info *info)
{
	return info->info.status;
}

CTI_API size_t cti_card_line_info_get_num_addresses(
	const struct cti_card_line_info *info)
{
	return info->info.num_addresses;
}

CTI_API const char *cti_card_line_info_get_address(
	const struct cti_card_line_info *info, size_t index)
{
	return index < info->info.num_addresses ?
		info->info.addresses[index] : NULL;
}

CTI_API uint32_t cti_card_line_info_get_num_calls(
	const struct cti_card_line_info *info)
{
	return info->info.num_calls;
}

CTI_API uint32_t cti_card_line_info_get_max_calls(
	const struct cti_card_line_info *info)
{
	return info->info.max_calls;
}

CTI_API void cti_card_phone_info_free(struct cti_card_phone_info *info)
{
	free(info);
}

CTI_API uint32_t cti_card_phone_info_get_phone(
	const struct cti_card_phone_info *info)
{
	return info->info.phone;
}

CTI_API const char *cti_card_phone_info_get_name(
	const struct cti_card_phone_info *info)
{
	return info->info.name;
}

CTI_API uint64_t cti_card_phone_info_get_hookswitches(
	const struct cti_card_phone_info *info)
{
	return info->info.hookswitches;
}

CTI_API uint32_t cti_card_phone_info_get_num_buttons(
	const struct cti_card_phone_info *info)
{
	return info->info.num_buttons;
}

CTI_API uint32_t cti_card_phone_info_get_num_lamps(
	const struct cti_card_phone_info *info)
{
	return info->info.num_lamps;
}

CTI_API uint32_t cti_card_phone_info_get_display_rows(
	const struct cti_card_phone_info *info)
{
	return info->info.display_rows;
}

CTI_API uint32_t cti_card_phone_info_get_display_cols(
	const struct cti_card_phone_info *info)
{
	return info->info.display_cols;
}

CTI_API uint32_t cti_card_phone_info_get_line(
	const struct cti_card_phone_info *info)
{
	return info->info.line;
}
