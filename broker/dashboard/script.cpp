#include "dashboard/script.h"

namespace passerelle::dashboard {

std::string_view script() {
  return R"js('use strict';
(() => {
  const token = document.querySelector('meta[name="management-token"]').content;
  const notice = document.getElementById('save-message');

  function show(state, text) {
    notice.dataset.state = state;
    notice.textContent = text;
    notice.hidden = false;
  }

  async function callApi(method, path, body) {
    const init = { method, headers: { Authorization: `Bearer ${token}` } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    return { ok: response.ok, body: text ? JSON.parse(text) : null };
  }

  // What the person typed, as a number when it is one; anything else goes
  // to the API as typed so that its message names the problem.
  function fieldValue(input) {
    const text = input.value.trim();
    return /^-?\d+$/.test(text) ? Number(text) : text;
  }

  const form = document.getElementById('refresh-token-settings');
  if (form) {
    const sync = () => {
      for (const toggle of form.querySelectorAll('[data-controls]')) {
        form.elements[toggle.dataset.controls].disabled = !toggle.checked;
      }
    };
    form.addEventListener('change', sync);
    sync();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const f = form.elements;
      const absolute = f.absolute.checked;
      const idle = f.idle.checked;
      const refreshToken = {
        rotation_type: f.rotation.checked ? 'rotating' : 'non-rotating',
        expiration_type: absolute || idle ? 'expiring' : 'non-expiring',
        infinite_token_lifetime: !absolute,
        infinite_idle_token_lifetime: !idle,
        token_lifetime: fieldValue(f.token_lifetime),
        idle_token_lifetime: fieldValue(f.idle_token_lifetime),
        leeway: fieldValue(f.leeway),
      };
      const path = `/api/v2/clients/${encodeURIComponent(form.dataset.clientId)}`;
      try {
        const result = await callApi('PATCH', path, { refresh_token: refreshToken });
        if (result.ok) show('saved', 'Changes saved.');
        else show('error', result.body && result.body.message ? result.body.message : 'The changes were not saved.');
      } catch (error) {
        show('error', `The changes were not saved: ${error.message}`);
      }
    });
  }

  for (const button of document.querySelectorAll('button[data-api-method]')) {
    button.addEventListener('click', async () => {
      const body = button.dataset.apiBody ? JSON.parse(button.dataset.apiBody) : undefined;
      button.disabled = true;
      try {
        const result = await callApi(button.dataset.apiMethod, button.dataset.apiPath, body);
        if (result.ok) {
          window.location.reload();
          return;
        }
        show('error', result.body && result.body.message ? result.body.message : 'The action failed.');
      } catch (error) {
        show('error', `The action failed: ${error.message}`);
      }
      button.disabled = false;
    });
  }
})();
)js";
}

}  // namespace passerelle::dashboard
