/** Placeholder until this module's issue lands. */
package io.vkv.consensus;
