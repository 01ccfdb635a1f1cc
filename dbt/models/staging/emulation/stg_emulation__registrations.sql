{#- The current registrations of each plan year: the rows of the latest registration batch. -#}
{{ latest_emulation_batch('emulation_registrations', 'registration') }}
