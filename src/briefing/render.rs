//! Offscreen rendering: a headless wgpu device (no window, no surface), egui's own wgpu renderer
//! into a texture, and the texture read back as RGBA pixels. On a machine without a GPU, wgpu
//! finds Mesa's lavapipe and renders on the CPU.
//!
//! The same path serves the command line and the viewer's export, so an image looks the same
//! whichever made it.

use std::iter::once;
use std::time::Duration;

use egui_wgpu::wgpu;
use image::RgbaImage;

/// How long to wait for the device to finish a frame. Software rasterisers on a busy machine
/// can be slow; a lost device should still end in an error rather than a hang.
const WAIT_TIMEOUT: Duration = Duration::from_secs(30);

/// A headless wgpu device with egui's renderer on it, and walkers' renderer for vector tiles.
pub struct Offscreen {
    state: egui_wgpu::RenderState,
}

impl Offscreen {
    /// Opens a graphics adapter without any display. `WGPU_BACKEND` and `VK_ICD_FILENAMES`
    /// choose the backend and driver as usual.
    pub fn new() -> Result<Self, String> {
        let setup = egui_wgpu::WgpuSetup::without_display_handle();
        let instance = pollster::block_on(setup.new_instance());
        let config = egui_wgpu::WgpuConfiguration {
            wgpu_setup: setup,
            ..Default::default()
        };
        let state = pollster::block_on(egui_wgpu::RenderState::create(
            &config,
            &instance,
            None,
            // No dithering and no MSAA differences: the same input gives the same pixels.
            egui_wgpu::RendererOptions::PREDICTABLE,
        ))
        .map_err(|e| {
            format!(
                "no graphics adapter for offscreen rendering ({e}); on Linux without a GPU, \
                 install Mesa's Vulkan drivers (Debian: mesa-vulkan-drivers)"
            )
        })?;
        walkers::install_renderer(Some(&state));
        Ok(Self { state })
    }

    /// What the adapter is, for log lines.
    pub fn adapter_name(&self) -> String {
        let info = self.state.adapter.get_info();
        format!("{} ({:?})", info.name, info.backend)
    }

    /// Uploads and frees the textures one egui pass changed. Every pass's changes must be
    /// applied, rendered or not: the font atlas grows incrementally.
    pub fn apply_textures(&self, delta: &mut egui::TexturesDelta) {
        let mut renderer = self.state.renderer.write();
        for (id, images) in delta.set.drain() {
            for image in images {
                renderer.update_texture(&self.state.device, &self.state.queue, id, &image);
            }
        }
        for id in delta.free.drain() {
            renderer.free_texture(&id);
        }
    }

    /// Renders the shapes of one egui pass into an image of `size_px` pixels.
    pub fn render(
        &self,
        ctx: &egui::Context,
        shapes: Vec<egui::epaint::ClippedShape>,
        pixels_per_point: f32,
        size_px: [u32; 2],
    ) -> Result<RgbaImage, String> {
        let device = &self.state.device;
        let queue = &self.state.queue;
        let mut renderer = self.state.renderer.write();
        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: size_px,
            pixels_per_point,
        };
        let primitives = ctx.tessellate(shapes, pixels_per_point);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("briefing encoder"),
        });
        let user_buffers =
            renderer.update_buffers(device, queue, &mut encoder, &primitives, &screen);
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("briefing image"),
            size: wgpu::Extent3d {
                width: size_px[0],
                height: size_px[1],
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: self.state.target_format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        {
            let mut pass = encoder
                .begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("briefing pass"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view: &view,
                        resolve_target: None,
                        ops: wgpu::Operations {
                            // Opaque: a slide image has no transparent corners.
                            load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                            store: wgpu::StoreOp::Store,
                        },
                        depth_slice: None,
                    })],
                    ..Default::default()
                })
                .forget_lifetime();
            renderer.render(&mut pass, &primitives, &screen);
        }
        queue.submit(user_buffers.into_iter().chain(once(encoder.finish())));
        drop(renderer);
        self.read_back(&texture)
    }

    /// Copies a texture to a mapped buffer and returns its pixels, rows unpadded.
    fn read_back(&self, texture: &wgpu::Texture) -> Result<RgbaImage, String> {
        let device = &self.state.device;
        let (width, height) = (texture.width(), texture.height());
        let unpadded = width as usize * 4;
        let align = wgpu::COPY_BYTES_PER_ROW_ALIGNMENT as usize;
        let padded = unpadded.div_ceil(align) * align;
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("briefing read-back"),
            size: (padded * height as usize) as u64,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("briefing copy"),
        });
        encoder.copy_texture_to_buffer(
            texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded as u32),
                    rows_per_image: None,
                },
            },
            wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
        );
        let submission = self.state.queue.submit(once(encoder.finish()));
        let slice = buffer.slice(..);
        let (sender, receiver) = std::sync::mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |result| {
            let _ = sender.send(result);
        });
        device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(submission),
                timeout: Some(WAIT_TIMEOUT),
            })
            .map_err(|e| format!("the graphics device did not finish the image: {e}"))?;
        receiver
            .recv()
            .map_err(|_| "the graphics device dropped the image".to_owned())?
            .map_err(|e| format!("cannot read the image back: {e}"))?;
        let mapped = slice
            .get_mapped_range()
            .map_err(|e| format!("cannot read the image back: {e}"))?;
        let mut pixels = Vec::with_capacity(unpadded * height as usize);
        for row in mapped.chunks_exact(padded) {
            pixels.extend_from_slice(&row[..unpadded]);
        }
        drop(mapped);
        buffer.unmap();
        let mut image = RgbaImage::from_raw(width, height, pixels)
            .ok_or_else(|| "the image read back has the wrong size".to_owned())?;
        if matches!(
            self.state.target_format,
            wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb
        ) {
            for pixel in image.pixels_mut() {
                pixel.0.swap(0, 2);
            }
        }
        Ok(image)
    }
}
